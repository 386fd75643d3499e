#include "agent/background_window.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>

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
