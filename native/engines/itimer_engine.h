// Process-wide CPU sampling with setitimer(ITIMER_PROF): the kernel sends SIGPROF to whichever thread is
// running when the process has used another interval of CPU time. Works everywhere, needs no per-thread setup.
#pragma once

#include "native/engines/signal_engine.h"

namespace hotframe {

class ItimerEngine : public SignalEngine {
public:
    explicit ItimerEngine(uint64_t interval_ns) : interval_ns_(interval_ns) {}

    const char* event_name() const override { return "itimer"; }
    std::string description() const override { return "itimer (setitimer ITIMER_PROF)"; }
    Status start(JNIEnv* jni) override;
    void disarm() override;
    void stop() override { disarm(); }

private:
    const uint64_t interval_ns_;
};

}  // namespace hotframe
