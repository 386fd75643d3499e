// Nanoseconds on the monotonic clock, for measuring intervals (waits, time between samples). Not for signal
// handlers: std::chrono is not promised to be async-signal-safe.
#pragma once

#include <chrono>
#include <cstdint>

namespace hotframe {

inline uint64_t steady_now_ns() {
    return static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
            .count());
}

}  // namespace hotframe
