// Hashes for tables keyed by numbers that an input chose: the ids of a pprof profile, the nodes a flame graph
// builds from a profile's stacks (the offline tool's and the agent's HTML alike), the CIEs of a library's unwind
// table. With a fixed hash (libstdc++'s std::hash of an integer is the integer itself, and its bucket counts
// are known primes) a crafted input can put every key in one bucket, and each lookup then walks them all: hours
// for a few million keys. The mix is seeded once per process, so that no input can know which of its keys would
// collide.
#pragma once

#include <sys/random.h>

#include <cstddef>
#include <cstdint>
#include <ctime>

namespace hotframe {

// From getrandom, which does not block once the kernel's pool is ready (GRND_NONBLOCK: early in boot it may
// not be; then the clock and an address that ASLR moves, which no file can predict either). Unlike
// std::random_device, it cannot throw, and nothing in the agent catches exceptions.
inline uint64_t process_hash_seed() noexcept {
    static const uint64_t seed = [] {
        uint64_t value = 0;
        if (getrandom(&value, sizeof(value), GRND_NONBLOCK) == static_cast<ssize_t>(sizeof(value))) return value;
        struct timespec now {};
        clock_gettime(CLOCK_MONOTONIC, &now);
        return static_cast<uint64_t>(now.tv_nsec) ^ (static_cast<uint64_t>(now.tv_sec) << 32) ^
               reinterpret_cast<uintptr_t>(&value);
    }();
    return seed;
}

// The value and the seed through splitmix64's finalizer, which carries every input bit to every output bit.
inline uint64_t seeded_mix(uint64_t value) noexcept {
    uint64_t x = value + process_hash_seed() + 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

struct SeededHash {
    size_t operator()(uint64_t value) const noexcept { return static_cast<size_t>(seeded_mix(value)); }
};

}  // namespace hotframe
