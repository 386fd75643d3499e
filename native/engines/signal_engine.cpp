#include "native/engines/signal_engine.h"

#include <cstdlib>
#include <cstring>

#include "native/engines/itimer_engine.h"
#include "native/engines/perf_event_engine.h"
#include "native/engines/posix_cpu_timer_engine.h"
#include "native/engines/wall_clock_engine.h"

namespace hotframe {

std::unique_ptr<SignalEngine> make_signal_engine(SignalMechanism mechanism, uint64_t interval_ns, int signal) {
    if (mechanism == SignalMechanism::kItimer) return std::make_unique<ItimerEngine>(interval_ns);
    if (mechanism == SignalMechanism::kWall) return std::make_unique<WallClockEngine>(interval_ns, signal);
    // HOTFRAME_CPU_ENGINE=timer forces the fallback, so that it can be tested on kernels that allow perf_event.
    const char* forced = std::getenv("HOTFRAME_CPU_ENGINE");
    bool want_posix = forced != nullptr && std::strcmp(forced, "timer") == 0;
    if (!want_posix && PerfEventEngine::available()) return std::make_unique<PerfEventEngine>(interval_ns, signal);
    return std::make_unique<PosixCpuTimerEngine>(interval_ns, signal);
}

}  // namespace hotframe
