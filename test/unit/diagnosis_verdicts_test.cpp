#include "native/analysis/diagnosis_verdicts.h"

#include <catch2/catch.hpp>

using namespace hotframe;

namespace {

// A diagnosis of a 10 s window on 2 CPUs with the process busy, and nothing else wrong.
Diagnosis busy_window() {
    Diagnosis diagnosis;
    diagnosis.wall_seconds = 10;
    diagnosis.cpus_available = 2;
    diagnosis.cpu_seconds = 15;
    return diagnosis;
}

Profile cpu_profile() {
    // main -> run -> handle, which splits into compile (60%) and match (40%).
    ProfileBuilder builder("cpu", "ns");
    uint32_t root = builder.intern("[main tid=1]", FrameKind::kPseudo);
    uint32_t main = builder.intern("app.Main.main", FrameKind::kInterpreted);
    uint32_t run = builder.intern("app.Server.run", FrameKind::kJitCompiled);
    uint32_t handle = builder.intern("app.Handler.handle", FrameKind::kJitCompiled);
    uint32_t compile = builder.intern("java.util.regex.Pattern.compile", FrameKind::kJitCompiled);
    uint32_t match = builder.intern("java.util.regex.Matcher.find", FrameKind::kJitCompiled);
    builder.add_stack({root, main, run, handle, compile}, 60, 600);
    builder.add_stack({root, main, run, handle, match}, 40, 400);
    return builder.finish();
}

MemoryReport memory(int64_t time_ms, int64_t young_count, int64_t young_ms, int64_t concurrent_ms) {
    MemoryReport report;
    report.time_ms = time_ms;
    report.heap_max = 1024ll << 20;
    report.pools.push_back({"G1 Old Gen", true, 100 << 20, 200 << 20, 1024ll << 20, 50 << 20});
    report.collectors.push_back({"G1 Young Generation", young_count, young_ms});
    report.collectors.push_back({"G1 Concurrent GC", 1, concurrent_ms});
    return report;
}

}  // namespace

TEST_CASE("diagnosis: the hot frame is where the CPU time branches, named with its caller", "[diagnosis]") {
    Diagnosis diagnosis = busy_window();
    diagnosis.profiles.push_back(cpu_profile());
    std::vector<Verdict> verdicts = diagnosis_verdicts(diagnosis);
    REQUIRE(verdicts.size() == 1);
    CHECK(verdicts[0].title == "Hot frame: Pattern.compile, 60% of CPU");
    CHECK_THAT(verdicts[0].evidence, Catch::Contains("called from app.Handler.handle (100%)"));
    CHECK(verdicts[0].tabs.front() == VerdictTab::kCpu);
}

TEST_CASE("diagnosis: GC time counts pausing collectors only", "[diagnosis]") {
    std::vector<MemoryReport> series = {memory(0, 10, 100, 0), memory(10'000, 40, 1100, 5000)};
    GcPauses pauses = gc_pauses(series);
    CHECK(pauses.milliseconds == 1000);
    CHECK(pauses.collections == 30);
    CHECK(is_pause_collector("ZGC Pauses"));
    CHECK_FALSE(is_pause_collector("ZGC Cycles"));
    CHECK_FALSE(is_pause_collector("Shenandoah Cycles"));
}

TEST_CASE("diagnosis: pauses over a tenth of the window point to Alloc and Memory, before the hot frame",
          "[diagnosis]") {
    Diagnosis diagnosis = busy_window();
    diagnosis.profiles.push_back(cpu_profile());
    diagnosis.memory = {memory(0, 10, 100, 0), memory(10'000, 40, 1600, 9000)};  // 1.5 s of 10: 15%
    std::vector<Verdict> verdicts = diagnosis_verdicts(diagnosis);
    REQUIRE(verdicts.size() == 2);
    CHECK(verdicts[0].title == "Memory pressure: GC pauses took 15% of the window: see Alloc and Memory");
    CHECK(verdicts[0].tabs == std::vector<VerdictTab>{VerdictTab::kAlloc, VerdictTab::kMemory});
    CHECK_THAT(verdicts[0].evidence, Catch::StartsWith("30 pausing collections, 1.5 s paused in 10 s"));
    // The concurrent cycles' 9 s are not pauses: at 9.9% the window is not under pressure.
    diagnosis.memory = {memory(0, 10, 100, 0), memory(10'000, 40, 1090, 9000)};
    CHECK(diagnosis_verdicts(diagnosis)[0].title.rfind("Hot frame", 0) == 0);
}

TEST_CASE("diagnosis: low CPU with few runnable threads is waiting, with many runnable it is not", "[diagnosis]") {
    Diagnosis diagnosis = busy_window();
    diagnosis.cpu_seconds = 1;  // 5% of 2 CPUs over 10 s
    ProfileBuilder wall("wall", "ns");
    uint32_t root = wall.intern("[worker tid=7]", FrameKind::kPseudo);
    uint32_t run = wall.intern("app.Worker.run", FrameKind::kJitCompiled);
    uint32_t sleep = wall.intern("java.lang.Thread.sleep", FrameKind::kNative);
    uint32_t futex = wall.intern("__futex_abstimed_wait_common", FrameKind::kNative);
    uint32_t sleeping = wall.intern("[sleeping]", FrameKind::kPseudo);
    uint32_t running = wall.intern("[running]", FrameKind::kPseudo);
    wall.add_stack({root, run, sleep, futex, sleeping}, 190, 9'500'000'000);
    wall.add_stack({root, run, running}, 10, 500'000'000);  // 0.05 threads runnable on average
    diagnosis.profiles.push_back(wall.finish());
    std::vector<Verdict> verdicts = diagnosis_verdicts(diagnosis);
    REQUIRE(!verdicts.empty());
    CHECK(verdicts[0].title == "CPU 5% of the 2 CPUs available: waiting, not computing; see Wall");
    CHECK_THAT(verdicts[0].evidence, Catch::Contains("95% of wall-clock samples found threads waiting, most often "
                                                     "in Thread.sleep"));
    // Threads that queue for the CPU between long sleeps (a busy machine stretches 2 ms of work to 6): one
    // thread runnable on average, but each runnable 12% of its time: still waiting.
    ProfileBuilder queued("wall", "ns");
    for (int worker = 0; worker < 8; worker++) {
        uint32_t worker_root = queued.intern(
            "[worker-" + std::to_string(worker) + " tid=" + std::to_string(10 + worker) + "]", FrameKind::kPseudo);
        uint32_t worker_sleeping = queued.intern("[sleeping]", FrameKind::kPseudo);
        uint32_t worker_running = queued.intern("[running]", FrameKind::kPseudo);
        queued.add_stack({worker_root, worker_sleeping}, 88, 8'800'000'000);
        queued.add_stack({worker_root, worker_running}, 12, 1'200'000'000);
    }
    diagnosis.profiles = {queued.finish()};
    REQUIRE(!diagnosis_verdicts(diagnosis).empty());
    CHECK_THAT(diagnosis_verdicts(diagnosis)[0].title, Catch::Contains("waiting, not computing"));
    // The same CPU with four threads runnable all the time: starved, not waiting.
    ProfileBuilder starved("wall", "ns");
    uint32_t starved_root = starved.intern("[worker tid=7]", FrameKind::kPseudo);
    uint32_t starved_running = starved.intern("[running]", FrameKind::kPseudo);
    starved.add_stack({starved_root, starved_running}, 800, 40'000'000'000);
    diagnosis.profiles = {starved.finish()};
    for (const Verdict& verdict : diagnosis_verdicts(diagnosis)) CHECK_THAT(verdict.title, !Catch::Contains("waiting"));
}

TEST_CASE("diagnosis: a deadlock comes first, naming every thread of the cycle", "[diagnosis]") {
    Diagnosis diagnosis = busy_window();
    diagnosis.profiles.push_back(cpu_profile());
    DumpedThread first, second;
    first.name = "orders-1";
    second.name = "orders-2";
    first.waits_for = DumpedLock{"java.lang.Object", 1};
    second.waits_for = DumpedLock{"java.lang.Object", 2};
    diagnosis.dump.threads = {first, second};
    diagnosis.deadlocks = {Deadlock{{0, 1}}};
    std::vector<Verdict> verdicts = diagnosis_verdicts(diagnosis);
    CHECK(verdicts[0].title == "Deadlock: 2 threads (orders-1, orders-2)");
    CHECK_THAT(verdicts[0].evidence, Catch::StartsWith("orders-1 waits for java.lang.Object held by orders-2"));
    CHECK(verdicts[0].tabs.front() == VerdictTab::kDump);
}

TEST_CASE("diagnosis: lock waits over a tenth of the window name the waiting method and the lock", "[diagnosis]") {
    Diagnosis diagnosis = busy_window();
    ProfileBuilder lock("lock", "ns");
    uint32_t root = lock.intern("[worker-1 tid=9]", FrameKind::kPseudo);
    uint32_t log = lock.intern("org.apache.catalina.valves.AccessLogValve.log", FrameKind::kJitCompiled);
    uint32_t object = lock.intern("java.lang.Object", FrameKind::kPseudo);
    lock.add_stack({root, log, object}, 300, 9'700'000'000);
    diagnosis.profiles.push_back(lock.finish());
    std::vector<Verdict> verdicts = diagnosis_verdicts(diagnosis);
    REQUIRE(!verdicts.empty());
    CHECK(verdicts[0].title == "Lock waits total 9.7 s under AccessLogValve.log: see Lock");
    CHECK_THAT(verdicts[0].evidence, Catch::Contains("a java.lang.Object (100% of the time waited)"));
    CHECK_THAT(verdicts[0].evidence, Catch::Contains("1 thread waited, most worker-1 (100%)"));
}

TEST_CASE("diagnosis: nothing standing out is said, with the CPU share", "[diagnosis]") {
    std::vector<Verdict> verdicts = diagnosis_verdicts(busy_window());
    REQUIRE(verdicts.size() == 1);
    CHECK(verdicts[0].title == "Nothing stands out");
    CHECK_THAT(verdicts[0].evidence, Catch::StartsWith("CPU 75% of the 2 CPUs available"));
}

TEST_CASE("diagnosis: the hot frame is not a class the JVM generated for a lambda", "[diagnosis]") {
    // Thread.run splits between two lambdas' generated classes; the larger one's body calls update().
    ProfileBuilder builder("cpu", "ns");
    uint32_t root = builder.intern("[worker tid=2]", FrameKind::kPseudo);
    uint32_t run = builder.intern("java.lang.Thread.run", FrameKind::kJitCompiled);
    uint32_t lambda2 = builder.intern("app.Main$$Lambda$2/0x0000000800c03000.run", FrameKind::kJitCompiled);
    uint32_t body2 = builder.intern("app.Main.lambda$main$0", FrameKind::kJitCompiled);
    uint32_t update = builder.intern("app.Main.update", FrameKind::kJitCompiled);
    uint32_t lambda3 = builder.intern("app.Main$$Lambda$3/0x0000000800c03220.run", FrameKind::kJitCompiled);
    uint32_t body3 = builder.intern("app.Main.lambda$main$1", FrameKind::kJitCompiled);
    builder.add_stack({root, run, lambda2, body2, update}, 58, 580);
    builder.add_stack({root, run, lambda2, body2}, 2, 20);
    builder.add_stack({root, run, lambda3, body3}, 40, 400);
    Diagnosis diagnosis = busy_window();
    diagnosis.profiles.push_back(builder.finish());
    std::vector<Verdict> verdicts = diagnosis_verdicts(diagnosis);
    REQUIRE(!verdicts.empty());
    CHECK(verdicts[0].title == "Hot frame: Main.update, 58% of CPU");
    CHECK_THAT(verdicts[0].evidence, Catch::Contains("called from app.Main.lambda$main$0 (60%)"));
    CHECK_THAT(verdicts[0].evidence, !Catch::Contains("$$Lambda"));
}

TEST_CASE("diagnosis: a request's hot frame is the library call under the framework's frames", "[diagnosis]") {
    // Tomcat under load, a JSP compiling patterns: each valve splits off a little (logging, recycling), and the
    // regex engine's internals split the compile further. The verdict names the call the JSP makes.
    ProfileBuilder builder("cpu", "ns");
    uint32_t root = builder.intern("[http-nio-8080-exec-1 tid=9]", FrameKind::kPseudo);
    uint32_t run = builder.intern("java.lang.Thread.run", FrameKind::kJitCompiled);
    uint32_t adapter = builder.intern("org.apache.catalina.connector.CoyoteAdapter.service", FrameKind::kJitCompiled);
    uint32_t recycle = builder.intern("org.apache.catalina.connector.Request.recycle", FrameKind::kJitCompiled);
    uint32_t valve = builder.intern("org.apache.catalina.core.StandardEngineValve.invoke", FrameKind::kJitCompiled);
    uint32_t jsp = builder.intern("org.apache.jsp.work_jsp._jspService", FrameKind::kJitCompiled);
    uint32_t compile = builder.intern("java.util.regex.Pattern.compile", FrameKind::kJitCompiled);
    uint32_t init = builder.intern("java.util.regex.Pattern.<init>", FrameKind::kJitCompiled);
    uint32_t expr = builder.intern("java.util.regex.Pattern.expr", FrameKind::kJitCompiled);
    uint32_t sequence = builder.intern("java.util.regex.Pattern.sequence", FrameKind::kJitCompiled);
    uint32_t find = builder.intern("java.util.regex.Matcher.find", FrameKind::kJitCompiled);
    builder.add_stack({root, run, adapter, recycle}, 35, 350);
    builder.add_stack({root, run, adapter, valve, jsp, compile, init, expr}, 25, 250);
    builder.add_stack({root, run, adapter, valve, jsp, compile, init, sequence}, 15, 150);
    builder.add_stack({root, run, adapter, valve, jsp, find}, 25, 250);
    Diagnosis diagnosis = busy_window();
    diagnosis.profiles.push_back(builder.finish());
    std::vector<Verdict> verdicts = diagnosis_verdicts(diagnosis);
    REQUIRE(!verdicts.empty());
    CHECK(verdicts[0].title == "Hot frame: Pattern.compile, 40% of CPU");
    CHECK_THAT(verdicts[0].evidence, Catch::Contains("called from org.apache.jsp.work_jsp._jspService (65%)"));
}

TEST_CASE("diagnosis: where a library call splits, the hot frame is its largest branch", "[diagnosis]") {
    // String.replaceAll compiles a pattern and replaces with it; neither holds half of it (a short window
    // during warm-up), and the verdict still names the compile, not replaceAll itself.
    ProfileBuilder builder("cpu", "ns");
    uint32_t root = builder.intern("[main tid=1]", FrameKind::kPseudo);
    uint32_t main = builder.intern("app.Main.main", FrameKind::kJitCompiled);
    uint32_t replace_all = builder.intern("java.lang.String.replaceAll", FrameKind::kJitCompiled);
    uint32_t compile = builder.intern("java.util.regex.Pattern.compile", FrameKind::kJitCompiled);
    uint32_t matcher_replace = builder.intern("java.util.regex.Matcher.replaceAll", FrameKind::kJitCompiled);
    uint32_t matcher = builder.intern("java.util.regex.Pattern.matcher", FrameKind::kJitCompiled);
    builder.add_stack({root, main, replace_all, compile}, 45, 450);
    builder.add_stack({root, main, replace_all, matcher_replace}, 40, 400);
    builder.add_stack({root, main, replace_all, matcher}, 15, 150);
    Diagnosis diagnosis = busy_window();
    diagnosis.profiles.push_back(builder.finish());
    std::vector<Verdict> verdicts = diagnosis_verdicts(diagnosis);
    REQUIRE(!verdicts.empty());
    CHECK(verdicts[0].title == "Hot frame: Pattern.compile, 45% of CPU");
    CHECK_THAT(verdicts[0].evidence, Catch::Contains("called from java.lang.String.replaceAll (100%)"));
}

TEST_CASE("diagnosis: lock waits count against the threads at work, not the window", "[diagnosis]") {
    // Twenty request threads run; only the poller waits for a lock, half of its time: 0.5 thread-seconds per
    // second, which an absolute threshold of 0.1 would call contention, but 2.4% of the working threads' time.
    Diagnosis diagnosis = busy_window();
    ProfileBuilder wall("wall", "ns");
    uint32_t running = wall.intern("[running]", FrameKind::kPseudo);
    for (int worker = 0; worker < 20; worker++) {
        uint32_t root = wall.intern("[exec-" + std::to_string(worker) + " tid=" + std::to_string(100 + worker) + "]",
                                    FrameKind::kPseudo);
        wall.add_stack({root, running}, 200, 10'000'000'000);
    }
    uint32_t poller_root = wall.intern("[Poller tid=99]", FrameKind::kPseudo);
    wall.add_stack({poller_root, running}, 100, 5'000'000'000);
    diagnosis.profiles.push_back(wall.finish());
    ProfileBuilder lock("lock", "ns");
    uint32_t poller = lock.intern("[Poller tid=99]", FrameKind::kPseudo);
    uint32_t wake = lock.intern("org.apache.tomcat.util.net.NioEndpoint$Poller.run", FrameKind::kJitCompiled);
    uint32_t object = lock.intern("java.lang.Object", FrameKind::kPseudo);
    lock.add_stack({poller, wake, object}, 100, 5'000'000'000);
    diagnosis.profiles.push_back(lock.finish());
    CHECK(working_threads(diagnosis) == 21);
    for (const Verdict& verdict : diagnosis_verdicts(diagnosis)) CHECK_THAT(verdict.title, !Catch::Contains("Lock"));

    // Four of the same threads wait half of their time: 2 of 21 threads' time, 9.5%, still below a tenth; six
    // waiting half of their time is 14%, a lock holding the service back.
    for (int waiters : {4, 6}) {
        ProfileBuilder contended("lock", "ns");
        uint32_t handle = contended.intern("app.Handler.handle", FrameKind::kJitCompiled);
        uint32_t monitor = contended.intern("java.lang.Object", FrameKind::kPseudo);
        for (int worker = 0; worker < waiters; worker++) {
            uint32_t root = contended.intern(
                "[exec-" + std::to_string(worker) + " tid=" + std::to_string(100 + worker) + "]", FrameKind::kPseudo);
            contended.add_stack({root, handle, monitor}, 100, 5'000'000'000);
        }
        diagnosis.profiles.back() = contended.finish();
        std::vector<Verdict> verdicts = diagnosis_verdicts(diagnosis);
        bool lock_verdict = !verdicts.empty() && verdicts[0].title.rfind("Lock waits", 0) == 0;
        CHECK(lock_verdict == (waiters == 6));
        if (lock_verdict) {
            CHECK_THAT(verdicts[0].evidence, Catch::StartsWith("14% of the wall time of the 21 threads at work went "
                                                               "to lock waits (3.0 thread-seconds per second"));
        }
    }
}

TEST_CASE("diagnosis: allocating the heap every second is pressure only when its collections cost something",
          "[diagnosis]") {
    Diagnosis diagnosis = busy_window();
    diagnosis.profiles.push_back(cpu_profile());
    ProfileBuilder alloc("alloc", "bytes");
    uint32_t root = alloc.intern("[main tid=1]", FrameKind::kPseudo);
    uint32_t site = alloc.intern("app.Handler.handle", FrameKind::kJitCompiled);
    uint32_t type = alloc.intern("byte[]", FrameKind::kPseudo);
    alloc.add_stack({root, site, type}, 1000, 20'480ll << 20);  // 20 GB in 10 s: two heaps of 1 GB a second
    diagnosis.profiles.push_back(alloc.finish());
    // 1.2% of the window paused (a collector keeping up): the hot frame comes first, no memory verdict.
    diagnosis.memory = {memory(0, 10, 100, 0), memory(10'000, 40, 220, 0)};
    std::vector<Verdict> verdicts = diagnosis_verdicts(diagnosis);
    REQUIRE(!verdicts.empty());
    CHECK(verdicts[0].title.rfind("Hot frame", 0) == 0);
    for (const Verdict& verdict : verdicts) CHECK(verdict.title.rfind("Memory pressure", 0) != 0);
    // 6% paused: the turnover explains the pauses and comes first.
    diagnosis.memory = {memory(0, 10, 100, 0), memory(10'000, 40, 700, 0)};
    verdicts = diagnosis_verdicts(diagnosis);
    REQUIRE(!verdicts.empty());
    CHECK(verdicts[0].title == "Memory pressure: allocating 2048 MB/s into a heap of 1024 MB: see Alloc and Memory");
}
