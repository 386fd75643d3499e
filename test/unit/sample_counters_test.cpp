#include "native/capture/sample_counters.h"

#include <pthread.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <vector>

#include "native/aggregate/own_threads.h"
#include "native/capture/anchor_walk.h"

using namespace hotframe;

TEST_CASE("a new session forgets vmcheck's last disagreement entirely, so it never logs the last session's",
          "[sample_counters]") {
    VmCheckCounters counters;
    counters.agct.status = -2;  // a failed walk: nonzero status with no frames was logged again before the fix
    counters.agct.count = 0;
    counters.vm.status = kStatusOk;
    counters.vm.count = 3;
    counters.vm.stop_pc = 0x1234;
    counters.vm.methods[0] = &counters;
    counters.stop_pcs[2] = 0x5678;
    counters.reset();
    CHECK(counters.agct.status == 0);
    CHECK(counters.agct.count == 0);
    CHECK(counters.vm.count == 0);
    CHECK(counters.vm.stop_pc == 0);
    CHECK(counters.vm.methods[0] == nullptr);
    CHECK(counters.stop_pcs[2] == 0);
}

TEST_CASE("hotframe's own threads are known until they are removed", "[own_threads]") {
    auto tid = static_cast<pid_t>(gettid());
    CHECK_FALSE(own_threads::contains(tid));
    own_threads::add(tid);
    CHECK(own_threads::contains(tid));
    CHECK_FALSE(own_threads::contains(tid + 1));
    own_threads::remove(tid);
    CHECK_FALSE(own_threads::contains(tid));
}

TEST_CASE("the walk from the anchor says when GetStackTrace must walk instead", "[anchor_walk]") {
    std::vector<AgctFrame> frames(16);
    auto tid = static_cast<pid_t>(gettid());
    StackCaptureContext context{};
    context.hotspot_thread_key = -1;
    SECTION("no vm walker in the session") {
        CHECK(walk_current_thread(context, tid, frames.data(), 16).outcome == AnchorWalkOutcome::kWalkerOff);
        VmLayout unchecked{};  // ready = false: the self-check has not passed
        context.vm_layout = &unchecked;
        CHECK(walk_current_thread(context, tid, frames.data(), 16).outcome == AnchorWalkOutcome::kWalkerOff);
    }
    SECTION("a thread HotSpot has not set up") {
        VmLayout layout{};
        layout.ready = true;
        context.vm_layout = &layout;
        CHECK(walk_current_thread(context, tid, frames.data(), 16).outcome == AnchorWalkOutcome::kNotJavaThread);
        pthread_key_t key;
        REQUIRE(pthread_key_create(&key, nullptr) == 0);
        context.hotspot_thread_key = static_cast<int>(key);
        CHECK(walk_current_thread(context, tid, frames.data(), 16).outcome == AnchorWalkOutcome::kNotJavaThread);
        // A "thread" whose stack is empty (every field 0): the walker finds nothing, and says so.
        std::vector<uintptr_t> thread(512, 0);
        REQUIRE(pthread_setspecific(key, thread.data()) == 0);
        AnchorWalk walk = walk_current_thread(context, tid, frames.data(), 16);
        CHECK(walk.outcome == AnchorWalkOutcome::kFailed);
        CHECK(walk.count == 0);
        pthread_setspecific(key, nullptr);
        pthread_key_delete(key);
    }
}
