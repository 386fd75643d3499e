#include "native/aggregate/thread_list.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

using namespace hotframe;

TEST_CASE("the thread count from /proc/self/task's link count matches the list and follows new threads", "[threads]") {
    ProcessThreadCounter counter;
    // Run as one binary, an earlier case's joined thread may still be counted for a moment: settle first.
    auto settle_by = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (static_cast<size_t>(counter.count()) != list_process_threads().size() &&
           std::chrono::steady_clock::now() < settle_by) {
        std::this_thread::yield();
    }
    int before = counter.count();
    REQUIRE(before >= 1);
    CHECK(static_cast<size_t>(before) == list_process_threads().size());

    std::mutex mutex;
    std::condition_variable released;
    bool done = false;
    std::vector<std::thread> threads;
    for (int i = 0; i < 3; i++) {
        threads.emplace_back([&] {
            std::unique_lock<std::mutex> lock(mutex);
            released.wait(lock, [&] { return done; });
        });
    }
    // The threads exist once std::thread's constructor has returned: clone() has run.
    CHECK(counter.count() == before + 3);
    CHECK(static_cast<size_t>(counter.count()) == list_process_threads().size());
    {
        std::lock_guard<std::mutex> lock(mutex);
        done = true;
    }
    released.notify_all();
    for (std::thread& thread : threads) thread.join();
    // join() returns when the kernel clears the thread's tid, which it does a little before it takes the thread
    // out of the group's count: watched until it has, for a few seconds at most.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (counter.count() != before && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::yield();
    }
    CHECK(counter.count() == before);
}
