// Wall-clock sampling: a thread of our own wakes every interval and sends the wall signal to a bounded number of the
// process's threads in turn, whatever they are doing (running, sleeping, blocked, waiting), so that time spent
// off the CPU shows up as well. Each signal carries the thread's run state, read from the kernel just before,
// and the wall time the sample stands for; the handler turns both into the record (see signal_handler.h).
#pragma once

#include <sys/types.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "native/engines/signal_engine.h"

namespace hotframe {

class WallClockEngine : public SignalEngine {
public:
    WallClockEngine(uint64_t interval_ns, int signal) : interval_ns_(interval_ns), signal_(signal) {}

    // With more threads than this, each tick samples the next this-many in turn, so the cost per tick stays
    // flat however many threads the JVM has; each sample then stands for the longer time between visits.
    static constexpr size_t kThreadsPerTick = 16;

    ~WallClockEngine() override;

    const char* event_name() const override { return "wall"; }
    std::string description() const override;
    Status start(JNIEnv* jni) override;
    void disarm() override;
    void stop() override { disarm(); }
    void skip_thread(pid_t tid) override;

private:
    void run();
    void tick();

    const uint64_t interval_ns_;
    const int signal_;  // the wall signal: not the cpu one (see native/capture/signal_handler.h)
    pid_t own_tid_ = 0;
    std::thread thread_;
    std::mutex wake_mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;

    std::mutex skipped_mutex_;
    std::unordered_set<pid_t> skipped_;  // threads without Java frames, reported by the aggregator
    uint64_t ticks_ = 0;

    pid_t cursor_ = 0;                                 // the last thread signalled; the next tick goes on after it
    std::unordered_map<pid_t, uint64_t> last_signal_;  // steady-clock ns of each thread's previous sample
};

// The kernel's run state of a thread of this process (/proc/self/task/TID/stat) as a ThreadRunState.
uint8_t read_thread_run_state(pid_t tid);

}  // namespace hotframe
