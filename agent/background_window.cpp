#include "agent/background_window.h"

#include <utility>

namespace hotframe {

Status BackgroundWindow::start(const std::function<Status()>& before, std::function<std::string()> body) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (shut_down_) return Status::error("the JVM is shutting down");
    if (running_.load()) return Status::error(busy_);
    // The previous window's thread has recorded its result and is only returning: join it without the lock,
    // which a thread still recording would need.
    std::thread previous = std::move(thread_);
    lock.unlock();
    if (previous.joinable()) previous.join();
    lock.lock();
    if (shut_down_) return Status::error("the JVM is shutting down");
    // Another start may have run a whole window while this one joined: its thread, even when finished, is in
    // thread_, which must not be overwritten while joinable (std::terminate).
    if (running_.load() || thread_.joinable()) return Status::error(busy_);
    if (Status ready = before(); !ready.is_ok()) return ready;
    running_.store(true);
    cancelled_.store(false);
    thread_ = std::thread([this, body = std::move(body)] {
        std::string result = body();
        std::lock_guard<std::mutex> done(mutex_);
        last_result_ = std::move(result);
        running_.store(false);
    });
    return Status::ok();
}

std::string BackgroundWindow::status() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (running_.load()) return label_ + ": running\n";
    return last_result_.empty() ? "" : label_ + ": " + last_result_ + "\n";
}

bool BackgroundWindow::wait_until(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mutex_);
    return wake_.wait_until(lock, deadline, [this] { return cancelled_.load(); });
}

void BackgroundWindow::shut_down() {
    std::thread finishing;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        shut_down_ = true;
        cancelled_.store(true);
        finishing = std::move(thread_);
    }
    wake_.notify_all();
    // Joined outside the lock: the window's thread takes it to record its result.
    if (finishing.joinable()) finishing.join();
}

}  // namespace hotframe
