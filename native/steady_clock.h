// Nanoseconds on the monotonic clock, for measuring intervals (waits, time between samples), and of the calling
// thread's CPU time. Not for signal handlers: std::chrono is not promised to be async-signal-safe.
#pragma once

#include <time.h>

#include <chrono>
#include <cstdint>

namespace hotframe {

inline uint64_t steady_now_ns() {
    return static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
            .count());
}

// The calling thread's CPU time (user and system): what a piece of work cost it, without the time it waited.
inline uint64_t thread_cpu_now_ns() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<uint64_t>(now.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(now.tv_nsec);
}

}  // namespace hotframe
