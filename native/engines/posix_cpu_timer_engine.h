// event=cpu where perf_event is not allowed: timer_create on each thread's CPU clock (CLOCK_THREAD_CPUTIME_ID
// of another thread, by kernel id). Such timers fire only on the scheduler tick, so intervals below the tick
// (often 4 ms) are rounded up.
#pragma once

#include "native/engines/per_thread_timer_engine.h"

namespace hotframe {

class PosixCpuTimerEngine : public PerThreadTimerEngine {
public:
    PosixCpuTimerEngine(uint64_t interval_ns, int signal) : PerThreadTimerEngine(interval_ns, signal) {}
    ~PosixCpuTimerEngine() override { stop(); }

    std::string description() const override { return "cpu (timer_create on each thread's CPU clock)"; }

private:
    bool arm_thread_locked(pid_t tid, uint64_t first_period_ns, ThreadTimer* timer) override;
    void disable(ThreadTimer& timer) override;
    void release(ThreadTimer& timer) override;
};

}  // namespace hotframe
