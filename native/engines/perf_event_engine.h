// event=cpu where the kernel allows it: a perf_event software cpu-clock per thread, precise at any interval
// (an hrtimer per thread). Its overflow is routed to the measured thread as the cpu signal; the overflow is one-shot
// and the signal handler re-arms it (native/capture/first_period.h says how the first, random period becomes
// the full interval). With option `kernel` each event also records the kernel part of the call chain into a
// small ring the handler reads (native/capture/kernel_stack.h).
#pragma once

#include <string>

#include "native/engines/per_thread_timer_engine.h"

namespace hotframe {

class PerfEventEngine : public PerThreadTimerEngine {
public:
    PerfEventEngine(uint64_t interval_ns, int signal) : PerThreadTimerEngine(interval_ns, signal) {}
    ~PerfEventEngine() override { stop(); }

    // Whether this kernel lets us open a per-thread cpu-clock perf event (tried on the calling thread).
    static bool available();

    std::string description() const override;
    std::string request_kernel_frames() override;
    std::string kernel_frames_refusal() const override;

private:
    bool arm_thread_locked(pid_t tid, uint64_t first_period_ns, ThreadTimer* timer) override;
    void disable(ThreadTimer& timer) override;
    void release(ThreadTimer& timer) override;

    bool user_only_ = false;             // perf_event_paranoid allowed user-mode time only
    bool kernel_frames_ = false;         // asked for with the `kernel` option
    std::string kernel_frames_refusal_;  // why the kernel would not give them
    unsigned kernel_ring_failures_ = 0;  // threads whose call-chain ring could not be mapped
};

}  // namespace hotframe
