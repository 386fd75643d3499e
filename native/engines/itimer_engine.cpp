#include "native/engines/itimer_engine.h"

#include <sys/time.h>

#include <cerrno>
#include <cstring>

namespace hotframe {

Status ItimerEngine::start(JNIEnv*) {
    uint64_t interval_us = interval_ns_ / 1000;
    if (interval_us == 0) interval_us = 1;
    itimerval timer{};
    timer.it_interval.tv_sec = static_cast<time_t>(interval_us / 1000000);
    timer.it_interval.tv_usec = static_cast<suseconds_t>(interval_us % 1000000);
    timer.it_value = timer.it_interval;
    if (setitimer(ITIMER_PROF, &timer, nullptr) != 0) {
        return Status::error(std::string("setitimer(ITIMER_PROF) failed: ") + std::strerror(errno));
    }
    return Status::ok();
}

void ItimerEngine::disarm() {
    itimerval off{};
    setitimer(ITIMER_PROF, &off, nullptr);
}

}  // namespace hotframe
