// Per-thread CPU-time sampling: one timer per thread that sends SIGPROF to that very thread each time it has
// used another interval of CPU. Two kernel mechanisms, chosen at start:
//  - perf_event_open software cpu-clock: precise at any interval (an hrtimer per thread);
//  - timer_create on the thread's CPU clock (CLOCK_THREAD_CPUTIME_ID of another thread): only fires on the
//    scheduler tick, so intervals below the tick are rounded up. Used where perf_event is not allowed.
// Threads are armed when profiling starts (every thread in /proc/self/task), when the JVM reports a new thread,
// and by refresh_threads() for threads nobody reported. A timer stays armed until its thread has gone from
// /proc (refresh_threads() then closes it), not just until JVMTI's ThreadEnd: the CPU a thread spends being
// torn down after ThreadEnd is CPU the JVM used too.
#pragma once

#include <sys/types.h>

#include <mutex>
#include <random>
#include <unordered_map>

#include "native/aggregate/engines/engine.h"

namespace hotframe {

class CpuTimerEngine : public Engine {
public:
    enum class Mechanism { kPerfEvent, kPosixTimer };

    explicit CpuTimerEngine(Mechanism mechanism) : mechanism_(mechanism) {}
    ~CpuTimerEngine() override;

    // Whether this kernel lets us open a per-thread cpu-clock perf event (tried on the calling thread).
    static bool perf_event_available();

    std::string description() const override;
    Status start(uint64_t interval_ns) override;
    void disarm() override;
    void stop() override;
    void on_thread_start(pid_t tid) override;
    void refresh_threads() override;
    std::string request_kernel_frames() override;
    std::string kernel_frames_refusal() const override;

private:
    // A perf event fd or a POSIX timer id, whichever the mechanism uses.
    struct ThreadTimer {
        int perf_fd = -1;
        void* posix_timer = nullptr;
        void* kernel_ring = nullptr;  // the event's mmap for kernel call chains (kernel_stack.h), or nullptr
    };

    bool arm_locked(pid_t tid);
    uint64_t random_first_period();
    void disable(ThreadTimer& timer);
    void release(ThreadTimer& timer);

    const Mechanism mechanism_;
    uint64_t interval_ns_ = 0;
    bool running_ = false;
    bool user_only_ = false;
    bool kernel_frames_ = false;         // asked for with the `kernel` option
    std::string kernel_frames_refusal_;  // why the kernel would not give them
    unsigned kernel_ring_failures_ = 0;  // threads whose call-chain ring could not be mapped
    mutable std::mutex mutex_;
    std::unordered_map<pid_t, ThreadTimer> timers_;
    std::mt19937_64 random_{std::random_device{}()};
};

}  // namespace hotframe
