// Hashes for tables keyed by numbers that a file chose: the ids of a pprof profile, the nodes the offline tool
// builds from a profile's stacks. With a fixed hash (libstdc++'s std::hash of an integer is the integer itself,
// and its bucket counts are known primes) a crafted file can put every key in one bucket, and each lookup then
// walks them all: hours for a few million keys. The mix is seeded once per process from std::random_device, so
// that no file can know which of its keys would collide.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>

namespace hotframe {

inline uint64_t process_hash_seed() {
    static const uint64_t seed = [] {
        std::random_device device;
        return (uint64_t{device()} << 32) ^ device();
    }();
    return seed;
}

// The value and the seed through splitmix64's finalizer, which carries every input bit to every output bit.
inline uint64_t seeded_mix(uint64_t value) {
    uint64_t x = value + process_hash_seed() + 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

struct SeededHash {
    size_t operator()(uint64_t value) const { return static_cast<size_t>(seeded_mix(value)); }
};

}  // namespace hotframe
