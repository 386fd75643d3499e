// How long the aggregator waits before it drains the rings again, from how many bytes of records the fullest
// ring held at the last drain and how long they took to come: long enough that an idle or quiet session does not
// wake the thread a hundred times a second, short enough that no ring fills up at the rate just seen.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace hotframe {

// The longest wait. Each wake-up costs CPU whether or not there is anything to drain (on this project's VMs a
// timed wait and its wake-up took tens of microseconds: at the former fixed 10 ms, about 1% of a CPU for the
// aggregator alone in a diagnosis, docs/PERFORMANCE.md); in 50 ms a 4 MB ring fills only at 80 MB a second
// (300,000 packed records of ten frames, 8,000 of 600 frames or 5,000 not packed, a second).
constexpr auto kLongestDrainWait = std::chrono::milliseconds(50);
// The first wait of a session, before any rate is known: the former fixed period.
constexpr auto kFirstDrainWait = std::chrono::milliseconds(10);
// The shortest wait while less than a quarter of a ring came per drain.
constexpr auto kShortestDrainWait = std::chrono::milliseconds(1);

// `drained`: the most bytes taken from one ring at the last drain; `since_previous`: the time between the
// starts of the last two drains; `ring_size`: a ring's bytes. Zero means drain again at once (a quarter of a
// ring or more was waiting: the producers are faster than the waits). Otherwise the wait after which the
// fullest ring is an eighth full at the rate just seen, between the shortest and longest wait: eight times that
// rate still fits.
inline std::chrono::nanoseconds next_drain_wait(size_t drained, std::chrono::nanoseconds since_previous,
                                                size_t ring_size) {
    if (drained >= ring_size / 4) return std::chrono::nanoseconds(0);
    if (drained == 0 || since_previous.count() <= 0) return kLongestDrainWait;
    double target = static_cast<double>(ring_size) / 8;
    auto wait = std::chrono::nanoseconds(
        static_cast<int64_t>(target * static_cast<double>(since_previous.count()) / static_cast<double>(drained)));
    if (wait > kLongestDrainWait) return kLongestDrainWait;
    if (wait < kShortestDrainWait) return kShortestDrainWait;
    return wait;
}

}  // namespace hotframe
