// Engines that make samples by sending a signal (the cpu or the wall signal): the capture code
// (native/capture/signal_handler.h) takes the sample in the signal handler. One engine per mechanism:
//   cpu:    perf_event_engine.h (a perf_event cpu-clock per thread), or where the kernel refuses perf_event,
//           posix_cpu_timer_engine.h (timer_create on each thread's CPU clock); both over
//           per_thread_timer_engine.h
//   itimer: itimer_engine.h (setitimer, process-wide)
//   wall:   wall_clock_engine.h (a thread of our own signals threads in turn)
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>

#include "native/engines/engine.h"

namespace hotframe {

class SignalEngine : public Engine {
public:
    // A thread started (JVMTI ThreadStart, called on that thread).
    virtual void on_thread_start(pid_t tid) { (void)tid; }

    // Called periodically: arm threads that appeared without telling us, release ones that are gone.
    virtual void refresh_threads() {}

    // The thread is of no interest to this engine (wall: it has no Java frames); it may stop signalling it.
    virtual void skip_thread(pid_t tid) { (void)tid; }

    // Option `kernel`, before start(): asks for the kernel part of each sample's call chain. Returns why this
    // engine cannot give it, or "" when it will try.
    virtual std::string request_kernel_frames() { return "kernel frames need event=cpu on the perf_event engine"; }

    // After start(): why kernel frames are not being recorded after all, or "".
    virtual std::string kernel_frames_refusal() const { return ""; }
};

// The mechanisms a signal engine can use; which one runs for event=cpu is decided by make_signal_engine.
enum class SignalMechanism { kCpu, kItimer, kWall };

// Makes the engine, sampling every `interval_ns` with `signal` (itimer can only send SIGPROF). For kCpu it picks
// perf_event where the kernel allows it and a POSIX thread CPU timer otherwise (HOTFRAME_CPU_ENGINE=timer
// forces the latter, for tests), and says which in its description.
std::unique_ptr<SignalEngine> make_signal_engine(SignalMechanism mechanism, uint64_t interval_ns, int signal);

}  // namespace hotframe
