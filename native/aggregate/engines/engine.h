// One interface behind every source of sampling signals. An engine arms timers that send SIGPROF; the
// capture code does the rest. Engines are driven from ordinary threads only.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>

#include "native/result.h"

namespace hotframe {

class Engine {
public:
    virtual ~Engine() = default;

    // Short name for logs and status, e.g. "cpu (perf_event cpu-clock)".
    virtual std::string description() const = 0;

    // Arms the timers for every thread that exists now.
    virtual Status start(uint64_t interval_ns) = 0;

    // Stops generating signals but keeps what a signal handler may still refer to (perf event fds).
    virtual void disarm() = 0;

    // Releases everything. Call after disarm() and after the handlers in flight have finished.
    virtual void stop() = 0;

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

enum class EngineKind { kCpu, kItimer, kWall };

// Makes the engine; for kCpu it picks perf_event where the kernel allows it and a POSIX thread CPU timer
// otherwise, and says which in its description. kWall signals threads from a thread of its own.
std::unique_ptr<Engine> make_engine(EngineKind kind);

}  // namespace hotframe
