#include "native/engines/per_thread_timer_engine.h"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <unordered_set>
#include <vector>

#include "native/aggregate/own_threads.h"
#include "native/aggregate/thread_list.h"

namespace hotframe {

namespace {

// Whether the thread still exists: /proc/self/task, read before the lock was taken, may miss one that started
// since, and releasing a live thread's timer would unmap a ring its signal handler may be reading.
bool thread_exists(pid_t tid) { return syscall(SYS_tgkill, getpid(), tid, 0) == 0 || errno != ESRCH; }

}  // namespace

Status PerThreadTimerEngine::start(JNIEnv*) {
    std::lock_guard<std::mutex> lock(mutex_);
    running_ = true;
    int armed = 0;
    for (pid_t tid : list_process_threads()) {
        if (arm_locked(tid)) armed++;
    }
    if (armed == 0) {
        running_ = false;
        return Status::error(std::string("could not arm a CPU timer on any thread: ") + std::strerror(errno));
    }
    return Status::ok();
}

void PerThreadTimerEngine::disarm() {
    std::lock_guard<std::mutex> lock(mutex_);
    running_ = false;
    for (auto& entry : timers_) disable(entry.second);
}

void PerThreadTimerEngine::stop() {
    std::lock_guard<std::mutex> lock(mutex_);
    running_ = false;
    for (auto& entry : timers_) release(entry.second);
    timers_.clear();
}

void PerThreadTimerEngine::on_thread_start(pid_t tid) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!running_) return;
    // A timer already registered under this id belongs to a thread that has ended (the kernel reuses ids), or to
    // this very thread, armed by refresh_threads() from /proc before its ThreadStart: either way it is replaced by
    // one with a fresh random first period. Disabled first, as release() wants, since in the second case it is
    // live.
    auto existing = timers_.find(tid);
    if (existing != timers_.end()) {
        disable(existing->second);
        release(existing->second);
        timers_.erase(existing);
    }
    arm_locked(tid);
}

void PerThreadTimerEngine::refresh_threads() {
    // Listing every thread is the costly part (about 130 us with a cold cache and 40 threads); the count is
    // one fstat. A new thread the JVM reports is armed at once (on_thread_start), and the list is read
    // whenever the count moved since the last look. What can wait for the periodic full list (at most
    // kFullListPeriod plus the aggregator's 100 ms) is a thread nobody reported (a compiler or GC thread the
    // JVM starts on demand, a native thread) that started between two looks in which as many threads ended,
    // and the release of ended threads' timers, which send nothing any more. At 250 ms the full lists cost
    // about 0.05% of a CPU; every 100 ms, as before, they were 8% of the aggregator's CPU in short sessions.
    constexpr auto kFullListPeriod = std::chrono::milliseconds(250);
    int count = thread_counter_.count();
    auto now = std::chrono::steady_clock::now();
    if (count >= 0 && count == listed_thread_count_ && now < next_full_list_) return;
    std::vector<pid_t> alive = list_process_threads();
    std::lock_guard<std::mutex> lock(mutex_);
    if (!running_) return;
    // Remembered only once the list was read and used. A count that disagrees with the list (threads came or
    // went between the two reads, or a /proc whose link count means something else) is not remembered, so
    // the next look lists again.
    listed_thread_count_ = !alive.empty() && count == static_cast<int>(alive.size()) ? count : -1;
    next_full_list_ = now + kFullListPeriod;
    std::unordered_set<pid_t> alive_set(alive.begin(), alive.end());
    for (auto it = timers_.begin(); it != timers_.end();) {
        if (alive_set.count(it->first) == 0 && !thread_exists(it->first)) {
            release(it->second);
            it = timers_.erase(it);
        } else {
            ++it;
        }
    }
    for (pid_t tid : alive) {
        if (timers_.count(tid) == 0) arm_locked(tid);
    }
}

// Each thread's first sample comes after a uniformly random share of the interval, not a full one: a thread
// that ends after using a fraction f of an interval is then sampled with probability f, as it should be.
// With a full first period, short-lived threads would never be sampled at all.
uint64_t PerThreadTimerEngine::random_first_period() {
    std::uniform_int_distribution<uint64_t> share(1, interval_ns_);
    return share(random_);
}

bool PerThreadTimerEngine::arm_locked(pid_t tid) {
    // hotframe's own threads are left out; their CPU is logged instead (own_threads.h).
    if (own_threads::contains(tid)) return false;
    ThreadTimer timer;
    if (!arm_thread_locked(tid, random_first_period(), &timer)) return false;
    timers_[tid] = timer;
    return true;
}

}  // namespace hotframe
