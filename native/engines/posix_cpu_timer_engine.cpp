#include "native/engines/posix_cpu_timer_engine.h"

#include <signal.h>
#include <time.h>

#include "native/aggregate/thread_list.h"

namespace hotframe {

namespace {

timespec to_timespec(uint64_t ns) {
    timespec spec{};
    spec.tv_sec = static_cast<time_t>(ns / 1000000000);
    spec.tv_nsec = static_cast<long>(ns % 1000000000);
    return spec;
}

}  // namespace

bool PosixCpuTimerEngine::arm_thread_locked(pid_t tid, uint64_t first_period_ns, ThreadTimer* timer) {
    sigevent event{};
    event.sigev_notify = SIGEV_THREAD_ID;
    event.sigev_signo = signal();
    event._sigev_un._tid = tid;
    timer_t id;
    if (timer_create(thread_cpu_clock(tid), &event, &id) != 0) return false;
    itimerspec spec{};
    spec.it_interval = to_timespec(interval_ns());
    spec.it_value = to_timespec(first_period_ns);
    if (timer_settime(id, 0, &spec, nullptr) != 0) {
        timer_delete(id);
        return false;
    }
    timer->posix_timer = id;
    return true;
}

void PosixCpuTimerEngine::disable(ThreadTimer& timer) {
    if (timer.posix_timer == nullptr) return;
    itimerspec off{};
    timer_settime(static_cast<timer_t>(timer.posix_timer), 0, &off, nullptr);
}

void PosixCpuTimerEngine::release(ThreadTimer& timer) {
    if (timer.posix_timer == nullptr) return;
    timer_delete(static_cast<timer_t>(timer.posix_timer));
    timer.posix_timer = nullptr;
}

}  // namespace hotframe
