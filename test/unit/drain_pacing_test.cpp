#include "native/aggregate/drain_pacing.h"

#include <catch2/catch.hpp>

using namespace hotframe;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;

TEST_CASE("drain pacing: a quiet session waits the longest, a busy one drains again at once", "[aggregate]") {
    // Nothing came: the longest wait, not a wake-up every few milliseconds.
    CHECK(next_drain_wait(0, milliseconds(10), 512) == kLongestDrainWait);
    // A diagnosis's rate, about 600 records a second over all rings: 6 in 10 ms is far below an eighth of a ring.
    CHECK(next_drain_wait(6, milliseconds(10), 512) == kLongestDrainWait);
    // 32 records in 10 ms (3,200 a second in one ring): an eighth of the ring (64) comes in 20 ms.
    CHECK(next_drain_wait(32, milliseconds(10), 512) == nanoseconds(milliseconds(20)));
    // 100 records in 1 ms: the wait would be 0.64 ms, never below the shortest.
    CHECK(next_drain_wait(100, milliseconds(1), 512) == kShortestDrainWait);
    // A quarter of a ring or more: drain again at once.
    CHECK(next_drain_wait(128, milliseconds(1), 512) == nanoseconds(0));
    CHECK(next_drain_wait(512, milliseconds(50), 512) == nanoseconds(0));
}
