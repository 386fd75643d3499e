// Writes a synthetic diagnosis page of a given size, for the browser test's load-time bound: N distinct cpu
// stacks spread over T threads (each with its own root, as the agent's per-thread roots are), wall, alloc and
// lock profiles a tenth of that, a 30-second memory series with pausing collections, and a dump of every thread.
//
//   diagnosis_fixture <page.html> [stacks=100000] [threads=500]
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "native/analysis/deadlocks.h"
#include "native/analysis/diagnosis_verdicts.h"
#include "native/analysis/gzip.h"
#include "native/output/diagnosis_page.h"
#include "native/output/output_file.h"

namespace {

using hotframe::FrameKind;

// Shaped like a server profile (as html_test's 100k-stack case): each stack under its thread's root, a shared
// framework prefix, five levels of ten-way branching, then a random tail of 2 to 13 frames.
hotframe::Profile synthetic_profile(const std::string& event, const std::string& unit, int stacks, int threads,
                                    const char* leaf, std::mt19937& random) {
    hotframe::ProfileBuilder builder(event, unit);
    std::vector<uint32_t> methods;
    for (int i = 0; i < 5000; i++) {
        methods.push_back(
            builder.intern("com.example.service" + std::to_string(i % 40) + ".Handler" + std::to_string(i) + ".process",
                           i % 3 == 0 ? FrameKind::kInterpreted : FrameKind::kJitCompiled));
    }
    for (int i = 0; i < stacks; i++) {
        int thread = i % threads;
        std::vector<uint32_t> frames;
        frames.push_back(builder.intern(
            "[worker-" + std::to_string(thread) + " tid=" + std::to_string(10000 + thread) + "]", FrameKind::kPseudo));
        for (int level = 0; level < 12; level++) frames.push_back(methods[level]);
        int path = i / threads;
        for (int level = 0; level < 5; level++, path /= 10) frames.push_back(methods[100 + level * 10 + path % 10]);
        int tail = 2 + static_cast<int>(random() % 12);
        for (int level = 0; level < tail; level++) frames.push_back(methods[random() % methods.size()]);
        if (leaf != nullptr) frames.push_back(builder.intern(leaf, FrameKind::kPseudo));
        builder.add_stack(frames, 1 + random() % 20, 1'000'000 + random() % 10'000'000);
    }
    return builder.finish();
}

hotframe::MemoryReport memory_at(int second, int seconds) {
    hotframe::MemoryReport report;
    report.time_ms = 1'700'000'000'000 + second * 1000;
    int64_t mib = 1 << 20;
    report.pools.push_back({"G1 Eden Space", true, (second * 37 % 200) * mib, 256 * mib, -1, 0});
    report.pools.push_back({"G1 Old Gen", true, (300 + second * 4) * mib, 700 * mib, 1024 * mib, 280 * mib});
    report.pools.push_back({"G1 Survivor Space", true, 12 * mib, 32 * mib, -1, 12 * mib});
    report.pools.push_back({"Metaspace", false, 80 * mib, 84 * mib, -1, -1});
    report.pools.push_back({"CodeHeap 'non-profiled nmethods'", false, 20 * mib, 24 * mib, 120 * mib, -1});
    report.heap_max = 1024 * mib;
    report.collectors.push_back({"G1 Young Generation", second / 2, second * 9});
    report.collectors.push_back({"G1 Old Generation", second / 10, second * 30});
    report.collectors.push_back({"G1 Concurrent GC", second / 5, second * 40});
    report.rss = (900 + second) * mib;
    (void)seconds;
    return report;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: diagnosis_fixture <page.html> [stacks] [threads]\n");
        return 2;
    }
    int stacks = argc > 2 ? std::atoi(argv[2]) : 100'000;
    int threads = argc > 3 ? std::atoi(argv[3]) : 500;
    std::mt19937 random(19);
    hotframe::Diagnosis diagnosis;
    diagnosis.pid = 4242;
    diagnosis.started_ms = 1'700'000'000'000;
    diagnosis.wall_seconds = 30;
    diagnosis.cpus_available = 4;
    diagnosis.cpu_seconds = 70;
    diagnosis.profiles.push_back(synthetic_profile("cpu", "ns", stacks, threads, nullptr, random));
    diagnosis.profiles.push_back(synthetic_profile("wall", "ns", stacks / 10, threads, "[running]", random));
    diagnosis.profiles.push_back(synthetic_profile("alloc", "bytes", stacks / 10, threads, "byte[]", random));
    diagnosis.profiles.push_back(synthetic_profile("lock", "ns", stacks / 10, threads, "java.lang.Object", random));
    for (int second = 0; second <= 30; second++) diagnosis.memory.push_back(memory_at(second, 30));
    for (int t = 0; t < threads; t++) {
        hotframe::DumpedThread dumped;
        dumped.name = "worker-" + std::to_string(t);
        dumped.java_id = 20 + t;
        dumped.native_id = 10000 + t;
        dumped.state = t % 3 == 0 ? "RUNNABLE" : "WAITING";
        for (int f = 0; f < 12; f++) {
            dumped.frames.push_back(
                {"com.example.service.Component" + std::to_string(f) + ".method" + std::to_string(t),
                 "Component.java",
                 10 + f,
                 false,
                 {}});
        }
        diagnosis.dump.threads.push_back(dumped);
        hotframe::DiagnosedThread thread;
        thread.name = dumped.name;
        thread.native_id = dumped.native_id;
        thread.cpu_seconds = 0.1 * (t % 13);
        thread.states = {{"RUNNABLE", static_cast<uint64_t>(t % 300)},
                         {"WAITING", static_cast<uint64_t>(300 - t % 300)}};
        diagnosis.threads.push_back(thread);
    }
    diagnosis.state_ticks = 300;
    diagnosis.deadlocks = hotframe::find_deadlocks(diagnosis.dump);
    diagnosis.verdicts = hotframe::diagnosis_verdicts(diagnosis);
    hotframe::Status written = hotframe::write_file_atomically(
        argv[1], hotframe::render_diagnosis_page(diagnosis,
                                                 [](std::string_view json) { return hotframe::gzip_compress(json); }));
    if (!written.is_ok()) {
        std::fprintf(stderr, "%s\n", written.message().c_str());
        return 1;
    }
    return 0;
}
