#include "native/output/thread_dump.h"

#include <catch2/catch.hpp>

#include "native/analysis/deadlocks.h"

using namespace hotframe;

namespace {

DumpedThread waiting_thread(const std::string& name, int64_t id, WaitKind wait, uint32_t wants, int64_t owner,
                            uint32_t holds) {
    DumpedThread thread;
    thread.name = name;
    thread.java_id = id;
    thread.state = wait == WaitKind::kPark ? "WAITING" : "BLOCKED";
    thread.state_detail = wait == WaitKind::kPark ? "parking" : "on object monitor";
    thread.wait = wait;
    thread.waits_for = DumpedLock{"java.lang.Object", wants};
    thread.lock_owner_java_id = owner;
    DumpedFrame frame;
    frame.method = "app.Worker.run";
    frame.file = "Worker.java";
    frame.line = 42;
    frame.locked.push_back(DumpedLock{"java.lang.Object", holds});
    thread.frames.push_back(frame);
    return thread;
}

}  // namespace

TEST_CASE("a two-thread cycle is one deadlock, a chain is none", "[thread_dump]") {
    ThreadDump dump;
    dump.jvm = "Test VM";
    dump.threads.push_back(waiting_thread("a", 1, WaitKind::kMonitorEnter, 0xb, 2, 0xa));
    dump.threads.push_back(waiting_thread("b", 2, WaitKind::kMonitorEnter, 0xa, 1, 0xb));
    dump.threads.push_back(waiting_thread("c", 3, WaitKind::kMonitorEnter, 0xa, 1, 0xc));  // waits on the cycle
    std::vector<Deadlock> deadlocks = find_deadlocks(dump);
    REQUIRE(deadlocks.size() == 1);
    CHECK(deadlocks[0].threads.size() == 2);

    std::string text = render_thread_dump_text(dump, deadlocks);
    CHECK_THAT(text, Catch::Contains("Found one Java-level deadlock:"));
    CHECK_THAT(text, Catch::Contains("\"a\":\n  waiting to lock monitor (object 0x0000000b, a java.lang.Object),\n"
                                     "  which is held by \"b\""));
    CHECK_THAT(text, Catch::Contains("\tat app.Worker.run(Worker.java:42)\n\t- waiting to lock <0x0000000b>"));
    CHECK_THAT(text, Catch::Contains("\t- locked <0x0000000a> (a java.lang.Object)"));
    CHECK_THAT(text, Catch::Contains("Found 1 deadlock."));

    dump.threads[1].lock_owner_java_id = -1;  // b no longer waits on a: the chain ends
    CHECK(find_deadlocks(dump).empty());
    CHECK_THAT(render_thread_dump_text(dump, {}), Catch::Contains("No deadlocks found."));
}

TEST_CASE("parked threads deadlock on ownable synchronizers; Object.wait never does", "[thread_dump]") {
    ThreadDump dump;
    dump.threads.push_back(waiting_thread("p", 1, WaitKind::kPark, 0x2, 2, 0x1));
    dump.threads.push_back(waiting_thread("q", 2, WaitKind::kPark, 0x1, 1, 0x2));
    std::vector<Deadlock> deadlocks = find_deadlocks(dump);
    REQUIRE(deadlocks.size() == 1);
    CHECK_THAT(render_thread_dump_text(dump, deadlocks), Catch::Contains("waiting for ownable synchronizer"));

    dump.threads[0].wait = WaitKind::kObjectWait;
    CHECK(find_deadlocks(dump).empty());
}

TEST_CASE("the JSON dump escapes names and lists deadlocks by thread name", "[thread_dump]") {
    ThreadDump dump;
    dump.threads.push_back(waiting_thread("quote\"back\\slash\nnewline", 1, WaitKind::kMonitorEnter, 0x2, 2, 0x1));
    dump.threads.push_back(waiting_thread("b", 2, WaitKind::kMonitorEnter, 0x1, 1, 0x2));
    std::string json = render_thread_dump_json(dump, find_deadlocks(dump));
    CHECK_THAT(json, Catch::Contains("\"name\":\"quote\\\"back\\\\slash\\u000anewline\""));
    CHECK_THAT(json, Catch::Contains("\"deadlocks\":[[\"quote"));
    CHECK_THAT(json, Catch::Contains("\"line\":42"));
}
