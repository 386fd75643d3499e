// A window of work on a thread of its own, as the `sample` and `diagnose` actions run one: at most one at a
// time, started by a command and left to run while the command returns, cut short at VMDeath (its result is
// still recorded), and asked about with `status`. The owner supplies what the window does; this class keeps
// the thread, the flags and the last result, and the order in which they change.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "native/result.h"

namespace hotframe {

class BackgroundWindow {
public:
    // `label` starts the status lines ("diagnosis"); `busy` is the error for a start while a window runs.
    BackgroundWindow(std::string label, std::string busy) : label_(std::move(label)), busy_(std::move(busy)) {}
    ~BackgroundWindow() { shut_down(); }
    BackgroundWindow(const BackgroundWindow&) = delete;
    BackgroundWindow& operator=(const BackgroundWindow&) = delete;

    // Runs `body` on a new thread unless a window runs or the JVM is shutting down (then an error that says so).
    // `before` runs first with the window's lock held, once the previous window's thread has been joined, and a
    // failure there starts nothing: it is where the owner takes what the window needs (e.g. the profiler
    // session), so that two starts cannot both take it. `body` returns the result that status() reports.
    Status start(const std::function<Status()>& before, std::function<std::string()> body);
    bool running() const { return running_.load(); }
    // "LABEL: running", "LABEL: <the last result>", or nothing before the first window.
    std::string status();
    // For the body: waits until `deadline` unless the window is cancelled first; true when cancelled.
    bool wait_until(std::chrono::steady_clock::time_point deadline);
    // VMDeath: cancels a running window, waits until its body has returned, and refuses new ones.
    void shut_down();

private:
    const std::string label_;
    const std::string busy_;
    std::mutex mutex_;
    std::thread thread_;
    std::atomic<bool> running_{false};
    std::atomic<bool> cancelled_{false};
    std::condition_variable wake_;
    bool shut_down_ = false;
    std::string last_result_;
};

}  // namespace hotframe
