// Every source of samples is an engine: the timers that send signals (cpu, itimer, wall; signal_engine.h) and
// the JVM's own events (alloc, lock; jvmti_engine.h). A profiling session holds a set of engines and drives
// them all through this interface, in the order that keeps the JVM safe (see docs/ARCHITECTURE.md, "Stopping"):
//   start() each in turn -> ... -> disarm() all -> wait for signal handlers in flight -> stop() all.
// Engines are driven from ordinary threads only; what runs in a signal handler lives in native/capture.
#pragma once

#include <jni.h>

#include <string>

#include "native/result.h"

namespace hotframe {

class Engine {
public:
    virtual ~Engine() = default;

    // The profile this engine's samples go to: "cpu", "wall", "alloc", ...
    virtual const char* event_name() const = 0;

    // For logs and status, e.g. "cpu (perf_event cpu-clock per thread)", "alloc (every 524288 bytes)".
    virtual std::string description() const = 0;

    // Begins producing samples. `jni` is the calling thread's JNIEnv, for engines that need the JVM once while
    // starting (it may be null on threads that are not attached).
    virtual Status start(JNIEnv* jni) = 0;

    // Stops producing samples but keeps whatever a sample still being taken may refer to (a perf event fd
    // that a signal handler re-arms, a JVMTI callback that is running). Safe to call on an engine that never
    // started or whose start failed.
    virtual void disarm() = 0;

    // Releases everything. Only after disarm() and after the signal handlers in flight have finished.
    virtual void stop() = 0;

    // After start(): something the user should know although the engine runs ("" if nothing), e.g. that
    // java.util.concurrent locks are not traced.
    virtual std::string warning() const { return ""; }
};

}  // namespace hotframe
