// Process-wide CPU sampling with setitimer(ITIMER_PROF): the kernel sends SIGPROF to whichever thread is
// running when the process has used another interval of CPU time. Works everywhere, needs no per-thread setup.
#pragma once

#include "native/aggregate/engines/engine.h"

namespace hotframe {

class ItimerEngine : public Engine {
public:
    std::string description() const override { return "itimer (setitimer ITIMER_PROF)"; }
    Status start(uint64_t interval_ns) override;
    void disarm() override;
    void stop() override { disarm(); }
};

}  // namespace hotframe
