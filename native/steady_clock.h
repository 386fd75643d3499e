// Nanoseconds on the monotonic clock, for measuring intervals (waits, time between samples), and on threads' CPU
// clocks. Not for signal handlers: std::chrono is not promised to be async-signal-safe.
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

// A CPU-time clock in nanoseconds (a thread's, user and system): -1 when it cannot be read (the thread ended).
inline int64_t cpu_clock_ns(clockid_t clock) {
    timespec now{};
    if (clock_gettime(clock, &now) != 0) return -1;
    return static_cast<int64_t>(now.tv_sec) * 1'000'000'000 + static_cast<int64_t>(now.tv_nsec);
}

// The calling thread's CPU time: what a piece of work cost it, without the time it waited.
inline uint64_t thread_cpu_now_ns() { return static_cast<uint64_t>(cpu_clock_ns(CLOCK_THREAD_CPUTIME_ID)); }

}  // namespace hotframe
