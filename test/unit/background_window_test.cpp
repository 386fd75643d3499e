#include "agent/background_window.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>
#include <vector>

using namespace hotframe;

namespace {

// Polls `done` with a deadline: the window's thread records its result after the body returns.
template <typename Condition>
bool eventually(Condition done) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::yield();
    }
    return true;
}

}  // namespace

TEST_CASE("background window: one at a time, cancelled at shut-down, its result reported", "[agent]") {
    BackgroundWindow window("thing", "a thing is already running");
    CHECK(window.status().empty());
    // A body that waits until it is cancelled: the window is running meanwhile.
    std::atomic<bool> entered{false};
    REQUIRE(window
                .start([] { return Status::ok(); },
                       [&] {
                           entered.store(true);
                           bool cancelled = window.wait_until(std::chrono::steady_clock::now() + std::chrono::hours(1));
                           return std::string(cancelled ? "cancelled" : "timed out");
                       })
                .is_ok());
    CHECK(window.running());
    CHECK(window.status() == "thing: running\n");
    Status second = window.start([] { return Status::ok(); }, [] { return std::string("second"); });
    CHECK(!second.is_ok());
    CHECK(second.message() == "a thing is already running");
    REQUIRE(eventually([&] { return entered.load(); }));
    // Shut-down cancels the wait, joins the thread and keeps the result; new windows are refused.
    window.shut_down();
    CHECK(!window.running());
    CHECK(window.status() == "thing: cancelled\n");
    Status after = window.start([] { return Status::ok(); }, [] { return std::string("late"); });
    CHECK(after.message() == "the JVM is shutting down");
}

TEST_CASE("background window: a failed preparation starts nothing, a finished window lets the next start", "[agent]") {
    BackgroundWindow window("thing", "busy");
    bool ran = false;
    Status refused = window.start([] { return Status::error("no session"); },
                                  [&] {
                                      ran = true;
                                      return std::string("ran");
                                  });
    CHECK(refused.message() == "no session");
    CHECK(!window.running());
    CHECK(window.status().empty());
    REQUIRE(window.start([] { return Status::ok(); }, [] { return std::string("first done"); }).is_ok());
    REQUIRE(eventually([&] { return !window.running(); }));
    CHECK(window.status() == "thing: first done\n");
    // The finished window's thread is joined by the next start.
    REQUIRE(window.start([] { return Status::ok(); }, [] { return std::string("second done"); }).is_ok());
    REQUIRE(eventually([&] { return !window.running(); }));
    CHECK(window.status() == "thing: second done\n");
    CHECK(!ran);
}

TEST_CASE("background window: starts racing from several threads never overwrite a running thread", "[agent]") {
    // Each start's body returns at once, so a window may be over while another start is joining the previous
    // one: that start must find thread_ taken and say busy, not overwrite it (which would call std::terminate).
    BackgroundWindow window("thing", "busy");
    std::atomic<int> started{0};
    std::vector<std::thread> starters;
    for (int t = 0; t < 4; t++) {
        starters.emplace_back([&] {
            for (int i = 0; i < 200; i++) {
                if (window.start([] { return Status::ok(); }, [] { return std::string("done"); }).is_ok()) {
                    started.fetch_add(1);
                }
            }
        });
    }
    for (std::thread& starter : starters) starter.join();
    CHECK(started.load() >= 1);
    REQUIRE(eventually([&] { return !window.running(); }));
    CHECK(window.status() == "thing: done\n");
}
