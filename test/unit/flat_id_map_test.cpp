// The aggregator's per-frame caches: every key stored comes back with its id through growth, keys that share
// their low bits (aligned pointers) or all but the top bits (kernel addresses) stay apart, and key 0 is a key.
#include "native/aggregate/flat_id_map.h"

#include <catch2/catch.hpp>
#include <unordered_map>

using namespace hotframe;

TEST_CASE("an empty id map finds nothing", "[flat_id_map]") {
    FlatIdMap map;
    CHECK(map.size() == 0);
    CHECK(map.find(0) == nullptr);
    CHECK(map.find(1) == nullptr);
    CHECK(map.find(~0ull) == nullptr);
}

TEST_CASE("the id map finds what was stored, also across growth", "[flat_id_map]") {
    FlatIdMap map;
    std::unordered_map<uint64_t, uint32_t> expected;
    // Pointer-like keys, 16-byte aligned, as jmethodIDs and pcs of one library are: they share the low bits.
    for (uint32_t i = 0; i < 5000; i++) {
        uint64_t key = 0x7f3a12340000ull + uint64_t{i} * 16;
        map.insert(key, i);
        expected[key] = i;
        // Every few inserts, everything stored so far is still there: growth lost nothing.
        if (i % 997 == 0) {
            for (const auto& [stored, id] : expected) {
                const uint32_t* found = map.find(stored);
                REQUIRE(found != nullptr);
                CHECK(*found == id);
            }
        }
    }
    CHECK(map.size() == expected.size());
    for (const auto& [stored, id] : expected) {
        const uint32_t* found = map.find(stored);
        REQUIRE(found != nullptr);
        CHECK(*found == id);
    }
    // Keys near the stored ones are not found.
    CHECK(map.find(0x7f3a12340000ull + 8) == nullptr);
    CHECK(map.find(0x7f3a12340000ull + 5000ull * 16) == nullptr);
}

TEST_CASE("the id map keeps key 0 and keys with high bits apart", "[flat_id_map]") {
    FlatIdMap map;
    map.insert(0, 7);
    REQUIRE(map.find(0) != nullptr);
    CHECK(*map.find(0) == 7);
    CHECK(map.size() == 1);
    // Kernel addresses shifted left by one with the return-address bit: the top bit is lost, others remain.
    uint64_t kernel = (0xffffffff81234560ull << 1) | 1;
    map.insert(kernel, 1);
    map.insert(~0ull, 2);
    map.insert(uint64_t{1} << 63, 3);
    map.insert(1, 4);
    CHECK(*map.find(kernel) == 1);
    CHECK(*map.find(~0ull) == 2);
    CHECK(*map.find(uint64_t{1} << 63) == 3);
    CHECK(*map.find(1) == 4);
    CHECK(*map.find(0) == 7);
    CHECK(map.size() == 5);
}

TEST_CASE("inserting a key again replaces its id", "[flat_id_map]") {
    FlatIdMap map;
    map.insert(42, 1);
    map.insert(42, 2);
    map.insert(0, 3);
    map.insert(0, 4);
    CHECK(map.size() == 2);
    CHECK(*map.find(42) == 2);
    CHECK(*map.find(0) == 4);
}

TEST_CASE("a cleared id map is empty and can be filled again", "[flat_id_map]") {
    FlatIdMap map;
    for (uint64_t key = 0; key < 200; key++) map.insert(key, static_cast<uint32_t>(key));
    map.clear();
    CHECK(map.size() == 0);
    for (uint64_t key = 0; key < 200; key++) CHECK(map.find(key) == nullptr);
    map.insert(5, 50);
    CHECK(*map.find(5) == 50);
    CHECK(map.size() == 1);
}
