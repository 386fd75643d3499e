// What the two per-thread CPU timer engines share (perf_event_engine.h, posix_cpu_timer_engine.h): one timer
// per thread that sends the cpu signal to that very thread each time it has used another interval of CPU.
// Threads are armed when profiling starts (every thread in /proc/self/task), when the JVM reports a new thread,
// and by refresh_threads() for threads nobody reported (within 100 ms when the thread count moved, within
// about 350 ms when as many threads ended meanwhile). A timer stays armed until its thread has gone from
// /proc (refresh_threads() then closes it), not just until JVMTI's ThreadEnd: the CPU a thread spends being
// torn down after ThreadEnd is CPU the JVM used too. A thread id that the kernel hands out again gets a new
// timer. Each thread's first period is a random share of the interval (see random_first_period).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>
#include <unordered_map>

#include "native/aggregate/thread_list.h"
#include "native/engines/signal_engine.h"

namespace hotframe {

class PerThreadTimerEngine : public SignalEngine {
public:
    PerThreadTimerEngine(uint64_t interval_ns, int signal) : interval_ns_(interval_ns), signal_(signal) {}
    // Subclasses call stop() in their own destructors, while their release() still exists.

    const char* event_name() const override { return "cpu"; }
    Status start(JNIEnv* jni) override;
    void disarm() override;
    void stop() override;
    void on_thread_start(pid_t tid) override;
    void refresh_threads() override;

protected:
    // One thread's timer, whichever kind the mechanism uses.
    struct ThreadTimer {
        int perf_fd = -1;
        void* posix_timer = nullptr;
        void* kernel_ring = nullptr;  // the perf event's mmap for kernel call chains (kernel_stack.h), or nullptr
    };

    // Creates and arms a timer for `tid` whose first signal comes after `first_period_ns` of its CPU time and
    // the following ones every interval. Called with mutex_ held.
    virtual bool arm_thread_locked(pid_t tid, uint64_t first_period_ns, ThreadTimer* timer) = 0;
    // Stops the timer's signals; the timer itself stays (a handler in flight may still use it).
    virtual void disable(ThreadTimer& timer) = 0;
    // Frees it: only once no handler can be using it any more, and no new signal can come (its thread has ended,
    // or disable() ran first).
    virtual void release(ThreadTimer& timer) = 0;

    uint64_t interval_ns() const { return interval_ns_; }
    int signal() const { return signal_; }

    mutable std::mutex mutex_;  // guards the timers and the subclasses' own state

private:
    bool arm_locked(pid_t tid);
    uint64_t random_first_period();

    const uint64_t interval_ns_;
    const int signal_;  // what each timer sends to its thread
    bool running_ = false;
    std::unordered_map<pid_t, ThreadTimer> timers_;
    // How many threads the last full list of refresh_threads found (-1: list again next time), and when the
    // next full list is due whatever the count. Only refresh_threads uses these; its callers are serialised
    // by the session (the aggregator calls it under Profiler::engine_mutex_).
    ProcessThreadCounter thread_counter_;
    int listed_thread_count_ = -1;
    std::chrono::steady_clock::time_point next_full_list_{};
    std::mt19937_64 random_{std::random_device{}()};
};

}  // namespace hotframe
