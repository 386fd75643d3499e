#include "native/engines/wall_clock_engine.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <string>

#include "native/aggregate/own_threads.h"
#include "native/aggregate/thread_list.h"
#include "native/capture/sample_record.h"
#include "native/capture/signal_handler.h"
#include "native/steady_clock.h"
#include "native/thread_name.h"

namespace hotframe {

namespace {

// Threads found to have no Java frames are asked again now and then: a native thread may attach to the JVM
// later, and a thread id may be reused by a new Java thread.
constexpr uint64_t kTicksPerSkipReset = 200;

// rt_tgsigqueueinfo rather than tgkill, because it carries a value to the handler; glibc has no wrapper.
bool send_sample_signal(pid_t pid, pid_t tid, int signal, uintptr_t value) {
    siginfo_t info;
    std::memset(&info, 0, sizeof(info));
    info.si_signo = signal;
    info.si_code = SI_QUEUE;
    info.si_pid = pid;
    info.si_uid = getuid();
    info.si_value.sival_ptr = reinterpret_cast<void*>(value);
    return syscall(SYS_rt_tgsigqueueinfo, pid, tid, signal, &info) == 0;
}

}  // namespace

uint8_t read_thread_run_state(pid_t tid) {
    char path[64];
    std::snprintf(path, sizeof(path), "/proc/self/task/%d/stat", static_cast<int>(tid));
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return kRunStateUnknown;
    char text[512];
    ssize_t length = read(fd, text, sizeof(text) - 1);
    close(fd);
    if (length <= 0) return kRunStateUnknown;
    text[length] = '\0';
    // "tid (comm) S ...": the name may hold spaces and parentheses, so the state follows the last ')'.
    const char* paren = std::strrchr(text, ')');
    if (paren == nullptr || paren[1] != ' ') return kRunStateUnknown;
    switch (paren[2]) {
        case 'R':
            return kRunStateRunning;
        case 'S':
            return kRunStateSleeping;
        case 'D':
            return kRunStateDisk;
        default:
            return kRunStateUnknown;
    }
}

WallClockEngine::~WallClockEngine() { disarm(); }

std::string WallClockEngine::description() const {
    return "wall (signal " + std::to_string(signal_) + " to up to " + std::to_string(kThreadsPerTick) +
           " threads per tick, every " + std::to_string(interval_ns_ / 1000) + " us)";
}

Status WallClockEngine::start(JNIEnv*) {
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
    return Status::ok();
}

void WallClockEngine::disarm() {
    if (!thread_.joinable()) return;
    {
        std::lock_guard<std::mutex> lock(wake_mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    // Once joined, no further signal is sent; those already sent are waited for by the caller.
    thread_.join();
}

void WallClockEngine::skip_thread(pid_t tid) {
    std::lock_guard<std::mutex> lock(skipped_mutex_);
    skipped_.insert(tid);
}

void WallClockEngine::run() {
    name_this_thread("hf wall clock");
    own_tid_ = static_cast<pid_t>(gettid());
    auto next = std::chrono::steady_clock::now();
    std::unique_lock<std::mutex> lock(wake_mutex_);
    while (!stopping_) {
        // Ticks keep to a fixed schedule; a late one is not made up for by a burst.
        next += std::chrono::nanoseconds(interval_ns_);
        auto now = std::chrono::steady_clock::now();
        if (next < now) next = now;
        if (wake_.wait_until(lock, next, [this] { return stopping_; })) break;
        lock.unlock();
        tick();
        lock.lock();
    }
}

void WallClockEngine::tick() {
    std::vector<pid_t> threads = list_process_threads();
    std::sort(threads.begin(), threads.end());
    {
        std::lock_guard<std::mutex> lock(skipped_mutex_);
        if (++ticks_ % kTicksPerSkipReset == 0) skipped_.clear();
        threads.erase(std::remove_if(threads.begin(), threads.end(),
                                     [this](pid_t tid) {
                                         return tid == own_tid_ || skipped_.count(tid) != 0 ||
                                                own_threads::contains(tid);
                                     }),
                      threads.end());
    }
    if (threads.empty()) return;
    // Forget threads that have ended.
    for (auto it = last_signal_.begin(); it != last_signal_.end();) {
        it = std::binary_search(threads.begin(), threads.end(), it->first) ? std::next(it) : last_signal_.erase(it);
    }
    size_t count = std::min(kThreadsPerTick, threads.size());
    // Round robin: start after the thread signalled last, wrapping around.
    size_t first = static_cast<size_t>(std::upper_bound(threads.begin(), threads.end(), cursor_) - threads.begin());
    uint64_t visit_every_ns = interval_ns_ * ((threads.size() + kThreadsPerTick - 1) / kThreadsPerTick);
    pid_t pid = getpid();
    for (size_t i = 0; i < count; i++) {
        pid_t tid = threads[(first + i) % threads.size()];
        uint64_t now = steady_now_ns();
        auto last = last_signal_.find(tid);
        // The wall time since this thread's previous sample is what this one stands for; a thread seen for the
        // first time gets the time between visits.
        uint64_t weight = last == last_signal_.end() ? visit_every_ns : now - last->second;
        last_signal_[tid] = now;
        send_sample_signal(pid, tid, signal_, capture::wall_signal_value(weight, read_thread_run_state(tid)));
        cursor_ = tid;
    }
}

}  // namespace hotframe
