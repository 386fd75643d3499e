#include "native/aggregate/drain_pacing.h"

#include <catch2/catch.hpp>

using namespace hotframe;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;

TEST_CASE("drain pacing: a quiet session waits the longest, a busy one drains again at once", "[aggregate]") {
    // Amounts are bytes of records; a ring is 4 MB, a sample of ten frames 256 bytes in it.
    constexpr size_t kRing = size_t{4} << 20;
    constexpr size_t kRecord = 256;
    // Nothing came: the longest wait, not a wake-up every few milliseconds.
    CHECK(next_drain_wait(0, milliseconds(10), kRing) == kLongestDrainWait);
    // 10,000 samples a second in one ring (100 in 10 ms): an eighth of the ring would take 200 ms; the longest
    // wait instead.
    CHECK(next_drain_wait(100 * kRecord, milliseconds(10), kRing) == kLongestDrainWait);
    // 256 KB in 10 ms (allocation samples of deep stacks): an eighth of the ring (512 KB) comes in 20 ms.
    CHECK(next_drain_wait(kRing / 16, milliseconds(10), kRing) == nanoseconds(milliseconds(20)));
    // 800 KB in 1 ms: the wait would be 0.64 ms, never below the shortest.
    CHECK(next_drain_wait(kRing / 5, milliseconds(1), kRing) == kShortestDrainWait);
    // A quarter of a ring or more: drain again at once.
    CHECK(next_drain_wait(kRing / 4, milliseconds(1), kRing) == nanoseconds(0));
    CHECK(next_drain_wait(kRing, milliseconds(50), kRing) == nanoseconds(0));
}
