#include "native/aggregate/engines/engine.h"

#include <cstdlib>
#include <cstring>

#include "native/aggregate/engines/cpu_timer.h"
#include "native/aggregate/engines/itimer.h"
#include "native/aggregate/engines/wall_clock.h"

namespace hotframe {

std::unique_ptr<Engine> make_engine(EngineKind kind) {
    if (kind == EngineKind::kItimer) return std::make_unique<ItimerEngine>();
    if (kind == EngineKind::kWall) return std::make_unique<WallClockEngine>();
    // HOTFRAME_CPU_ENGINE=timer forces the fallback, so that it can be tested on kernels that allow perf_event.
    const char* forced = std::getenv("HOTFRAME_CPU_ENGINE");
    bool want_posix = forced != nullptr && std::strcmp(forced, "timer") == 0;
    if (!want_posix && CpuTimerEngine::perf_event_available()) {
        return std::make_unique<CpuTimerEngine>(CpuTimerEngine::Mechanism::kPerfEvent);
    }
    return std::make_unique<CpuTimerEngine>(CpuTimerEngine::Mechanism::kPosixTimer);
}

}  // namespace hotframe
