#include "agent/diagnosis_session.h"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_map>
#include <vector>

#include "agent/cpu_budget.h"
#include "agent/java_threads.h"
#include "agent/log.h"
#include "agent/memory_collector.h"
#include "agent/thread_dump_collector.h"
#include "native/analysis/deadlocks.h"
#include "native/analysis/diagnosis_verdicts.h"
#include "native/analysis/gzip.h"
#include "native/output/diagnosis_page.h"
#include "native/output/output_file.h"
#include "native/output/output_paths.h"
#include "native/steady_clock.h"
#include "native/thread_name.h"

namespace hotframe {

namespace {

// Thread states ten times a second: a thread that blocks for 100 ms now and then is seen, and one
// GetThreadState per thread per tick costs microseconds (no safepoint, no stack walk).
constexpr auto kStateInterval = std::chrono::milliseconds(100);
// The memory series' resolution, and how often the list of threads is read again.
constexpr auto kMemoryInterval = std::chrono::seconds(1);
// The session's sampling: cpu every 20 ms of CPU and contended waits of 10 us or more. Each costs in proportion to
// what the program does that is worth seeing (CPU time, lock waits), so their cost is bounded by the interval.
// cpu at 20 ms, twice a plain start's interval (JFR's default profile samples every 20 ms too): at 10 ms a busy
// 2-CPU process's cpu samples were about 1% of its CPU in a diagnosis (each sample at that spacing finds the
// handler, the unwind tables and the ring out of the caches), a third of the budget; 20 ms still gives 1,500
// samples per busy CPU in a 30 s window, which places a frame with 15% of the CPU to within two points. Wall
// every 100 ms, half a plain session's rate: a wall tick costs the
// wall engine's thread 0.3 to 0.7 ms of CPU whatever the program does (it lists the threads and reads each one's
// run state from /proc before signalling it: tens of microseconds per thread sampled on the 2-CPU VM measured in
// docs/PERFORMANCE.md), which at 50 ms was 0.5 to 0.7% of the CPU of a busy 2-CPU process, a fifth of the
// diagnosis's budget. Ten samples a second per thread still give 300 per thread in a 30 s window: the verdicts
// use the share of samples in which threads were runnable, which that count places to within a few points.
constexpr uint64_t kCpuInterval = 20'000'000;
constexpr uint64_t kWallInterval = 100'000'000;
// Allocation is not bounded that way: at a plain session's fixed 512 KiB a program allocating 5 GB/s takes about
// 10,000 samples a second, and at about 2.6 us each (HotSpot's event, a JVMTI stack walk, naming: see
// docs/PERFORMANCE.md) that alone is 2 to 3% of the CPU, the diagnosis's whole budget. So the diagnosis bounds
// the rate instead: it starts at 512 KiB (never finer than a plain session, so a program that allocates little
// is seen as well as there) and every second, or as soon as a second's worth of samples has come early, sets
// the interval that would have given kAllocSamplesPerSecond at the rate just seen. 100 a second still gives
// 3,000 samples in a 30 s window, enough to place an allocation site with 5% of the bytes to within a point;
// JFR's default allocation sampling is throttled to 150 a second for the same reason. A sample of the deep
// stacks of a regex-heavy program cost about 25 us (JVMTI GetStackTrace, measured with perf in
// docs/PERFORMANCE.md), so 200 a second was 0.5% of one CPU, a sixth of the budget; 100 a second halved it. Where
// the vm walker takes those stacks from the thread's anchor (JDK 17 and 25) a sample costs about 3 us, and the
// rate could rise again; it stays at 100 for JDKs where GetStackTrace still does the walking. Each sample
// is weighted by the interval that scheduled it (its thread's previous sample's, AllocEngine::on_sampled_alloc), so the
// estimated bytes stay right as the interval moves.
constexpr uint64_t kAllocMinInterval = 512 * 1024;
constexpr uint64_t kAllocMaxInterval = uint64_t{1} << 30;
constexpr double kAllocSamplesPerSecond = 100;
// The window's own thread, left out of the page's thread list.
constexpr char kThreadName[] = "hotframe diagnosis";

Options profiler_options(const Options& diagnose, const std::string& page_pattern) {
    Options session;
    session.action = Action::kStart;
    session.event = EventType::kCpu;
    session.interval_ns = kCpuInterval;
    session.wall_interval_ns = kWallInterval;
    session.alloc_interval = kAllocMinInterval;
    session.lock = true;
    session.per_thread = true;
    session.file = page_pattern;
    session.format = OutputFormat::kHtml;
    session.memory_limit = diagnose.memory_limit;
    return session;
}

// Each thread's CPU time so far (user + system), by kernel thread id, from /proc/self/task/TID/stat.
std::unordered_map<int, double> task_cpu_seconds() {
    std::unordered_map<int, double> seconds;
    static const double kTicks = static_cast<double>(sysconf(_SC_CLK_TCK));
    DIR* tasks = opendir("/proc/self/task");
    if (tasks == nullptr) return seconds;
    while (dirent* entry = readdir(tasks)) {
        int tid = std::atoi(entry->d_name);
        if (tid <= 0) continue;
        std::ifstream stat(std::string("/proc/self/task/") + entry->d_name + "/stat");
        std::string line;
        if (!std::getline(stat, line)) continue;
        // The name in parentheses may hold spaces: fields are counted after its closing parenthesis.
        size_t close = line.rfind(')');
        if (close == std::string::npos) continue;
        std::istringstream fields(line.substr(close + 2));
        std::string field;
        double utime = 0, stime = 0;
        for (int index = 3; fields >> field; index++) {
            if (index == 14) utime = std::atof(field.c_str());
            if (index == 15) {
                stime = std::atof(field.c_str());
                break;
            }
        }
        seconds[tid] = (utime + stime) / kTicks;
    }
    closedir(tasks);
    return seconds;
}

struct TrackedThread {
    jthread thread;  // a global reference
    std::string name;
};

// The threads' states, by name, counted at each tick.
class StateSampler {
public:
    StateSampler(jvmtiEnv* jvmti, JNIEnv* jni) : jvmti_(jvmti), jni_(jni) {}
    ~StateSampler() { release(); }

    void refresh() {
        release();
        jint count = 0;
        jthread* threads = nullptr;
        if (jvmti_->GetAllThreads(&count, &threads) != JVMTI_ERROR_NONE) return;
        for (jint i = 0; i < count; i++) {
            tracked_.push_back(TrackedThread{static_cast<jthread>(jni_->NewGlobalRef(threads[i])),
                                             java_thread_name(jvmti_, jni_, threads[i])});
            jni_->DeleteLocalRef(threads[i]);
        }
        jvmti_->Deallocate(reinterpret_cast<unsigned char*>(threads));
    }

    void tick() {
        ticks_++;
        for (const TrackedThread& tracked : tracked_) {
            jint flags = 0;
            if (jvmti_->GetThreadState(tracked.thread, &flags) != JVMTI_ERROR_NONE) continue;
            if ((flags & JVMTI_THREAD_STATE_ALIVE) == 0) continue;
            states_[tracked.name][thread_state_name(flags)]++;
        }
    }

    const std::map<std::string, std::map<std::string, uint64_t>>& states() const { return states_; }
    uint64_t ticks() const { return ticks_; }

    // The global references go before the thread detaches.
    void release() {
        for (TrackedThread& tracked : tracked_) jni_->DeleteGlobalRef(tracked.thread);
        tracked_.clear();
    }

private:
    jvmtiEnv* jvmti_;
    JNIEnv* jni_;
    std::vector<TrackedThread> tracked_;
    std::map<std::string, std::map<std::string, uint64_t>> states_;
    uint64_t ticks_ = 0;
};

// Adapts the allocation interval of the running session to kAllocSamplesPerSecond (see above).
class AllocRateBound {
public:
    using Clock = std::chrono::steady_clock;
    explicit AllocRateBound(AllocEngine* engine) : engine_(engine) { restart(Clock::now()); }

    void tick(Clock::time_point now) {
        uint64_t taken = engine_->samples_taken() - samples_at_;
        double seconds = std::chrono::duration<double>(now - since_).count();
        // A rate needs a second of samples, unless a second's budget is already spent.
        if (seconds < 1.0 && static_cast<double>(taken) < kAllocSamplesPerSecond) return;
        uint64_t next = rate_bounded_interval(engine_->interval(), taken, seconds, kAllocSamplesPerSecond,
                                              kAllocMinInterval, kAllocMaxInterval);
        if (Status changed = engine_->change_interval(next); !changed.is_ok()) {
            log().warn("diagnosis: allocation interval not changed ({})", changed.message());
        }
        highest_ = std::max(highest_, engine_->interval());
        restart(now);
    }
    uint64_t highest_interval() const { return highest_; }

private:
    void restart(Clock::time_point now) {
        since_ = now;
        samples_at_ = engine_->samples_taken();
    }

    AllocEngine* engine_;
    Clock::time_point since_;
    uint64_t samples_at_ = 0;
    uint64_t highest_ = kAllocMinInterval;
};

// The CPU time of the calling thread, for the cost of building the page.
double thread_cpu_seconds() { return static_cast<double>(thread_cpu_now_ns()) / 1e9; }

int64_t epoch_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Every thread of the dump (Java threads, then the ones JVMTI hides), with its CPU time in the window.
std::vector<DiagnosedThread> diagnosed_threads(const ThreadDump& dump, const StateSampler& sampler,
                                               const std::unordered_map<int, double>& before,
                                               const std::unordered_map<int, double>& after, int own_tid) {
    auto cpu_of = [&](int tid) {
        auto end = after.find(tid);
        if (end == after.end()) return 0.0;
        auto start = before.find(tid);
        return end->second - (start == before.end() ? 0.0 : start->second);
    };
    std::vector<DiagnosedThread> threads;
    for (const DumpedThread& dumped : dump.threads) {
        if (dumped.name == kThreadName) continue;  // the diagnosis itself
        DiagnosedThread thread;
        thread.name = dumped.name;
        thread.native_id = dumped.native_id;
        thread.cpu_seconds = cpu_of(dumped.native_id);
        auto states = sampler.states().find(dumped.name);
        if (states != sampler.states().end()) thread.states = states->second;
        threads.push_back(thread);
    }
    for (const OtherThread& other : dump.other_threads) {
        if (other.native_id == own_tid) continue;
        DiagnosedThread thread;
        thread.name = other.name;  // the JVM's name for it where its thread list has one
        thread.native_id = other.native_id;
        thread.cpu_seconds = cpu_of(other.native_id);
        thread.java = false;
        threads.push_back(thread);
    }
    return threads;
}

// Writes the page and tells the user: the summary on stderr (at start-up, or without the launcher, that is where
// the JVM's user looks), or for the launcher into REPLY.end beside its reply file. Returns what status reports.
std::string publish(const Diagnosis& diagnosis, const std::string& page_pattern, const std::string& reply_file) {
    std::string path = next_output_path(page_pattern, std::time(nullptr));
    Status written = write_file_atomically(
        path, render_diagnosis_page(diagnosis, [](std::string_view json) { return gzip_compress(json); }));
    std::string summary = render_diagnosis_text(diagnosis, written.is_ok() ? path : "");
    if (!written.is_ok()) summary += "page not written: " + written.message() + "\n";
    if (reply_file.empty()) {
        std::fprintf(stderr, "[hotframe] %s", summary.c_str());
    } else {
        std::string reply = (written.is_ok() ? "ok\n" : "error: " + written.message() + "\n") + summary;
        if (Status replied = write_file_atomically(reply_file + ".end", reply); !replied.is_ok()) {
            log().error("diagnosis: cannot write the summary for the launcher: {}", replied.message());
        }
    }
    return written.is_ok() ? "wrote " + path : "failed: " + written.message();
}

}  // namespace

Status DiagnosisSession::start(const Options& options, std::string* page) {
    std::string pattern = choose_pattern(options.file, options.directory, "hotframe-diagnosis-%p-%t.html");
    if (Status writable = check_output_pattern(pattern); !writable.is_ok()) return writable;
    // The profiler session is taken under the window's lock: two diagnoses started at once cannot both take it.
    Status started = window_.start([&] { return profiler_->start(profiler_options(options, pattern)); },
                                   [this, options, pattern] { return run(options, pattern); });
    if (started.is_ok()) *page = pattern;
    return started;
}

std::string DiagnosisSession::run(const Options& options, const std::string& page_pattern) {
    name_this_thread("hf diagnosis");
    JNIEnv* jni = nullptr;
    JavaVMAttachArgs attach{JNI_VERSION_1_6, const_cast<char*>(kThreadName), nullptr};
    bool attached = vm_->AttachCurrentThreadAsDaemon(reinterpret_cast<void**>(&jni), &attach) == JNI_OK;
    using Clock = std::chrono::steady_clock;
    Diagnosis diagnosis;
    diagnosis.pid = getpid();
    diagnosis.started_ms = epoch_ms();
    diagnosis.cpus_available = available_cpus();
    std::unordered_map<int, double> cpu_before = task_cpu_seconds();
    double process_cpu_before = process_cpu_seconds();
    auto started = Clock::now();
    auto deadline = started + std::chrono::nanoseconds(options.duration_ns);
    StateSampler sampler(jvmti_, jni);
    MemoryBeans memory_beans;
    AllocRateBound alloc_rate(&profiler_->alloc_engine());
    auto next_memory = started, next_state = started;
    while (attached) {
        auto now = Clock::now();
        if (now >= next_memory) {
            // Stamped when the reading starts: the first one loads java.lang.management and takes a while.
            MemoryReport report;
            int64_t reading_ms = epoch_ms();
            if (memory_beans.collect(jni, &report).is_ok()) {
                report.time_ms = reading_ms;
                diagnosis.memory.push_back(std::move(report));
            }
            sampler.refresh();
            // Points stay on whole seconds from the start: a late tick does not shift the ones after it.
            while (next_memory <= now) next_memory += kMemoryInterval;
        }
        if (now >= deadline) break;
        if (now >= next_state) {
            sampler.tick();
            alloc_rate.tick(now);
            while (next_state <= now) next_state += kStateInterval;
        }
        if (window_.wait_until(std::min({next_memory, next_state, deadline}))) break;
    }
    diagnosis.wall_seconds = std::chrono::duration<double>(Clock::now() - started).count();
    diagnosis.cpu_seconds = process_cpu_seconds() - process_cpu_before;
    std::unordered_map<int, double> cpu_after = task_cpu_seconds();
    if (Status stopped = profiler_->stop_taking_profiles(&diagnosis.profiles); !stopped.is_ok()) {
        log().warn("diagnosis: no profiles ({})", stopped.message());
    }
    if (attached) {
        if (Status dumped = collect_thread_dump(jvmti_, jni, &diagnosis.dump); !dumped.is_ok()) {
            log().warn("diagnosis: no thread dump ({})", dumped.message());
        }
    }
    diagnosis.deadlocks = find_deadlocks(diagnosis.dump);
    diagnosis.threads = diagnosed_threads(diagnosis.dump, sampler, cpu_before, cpu_after, gettid());
    diagnosis.state_ticks = sampler.ticks();
    double building_started = thread_cpu_seconds();
    diagnosis.verdicts = diagnosis_verdicts(diagnosis);
    sampler.release();
    if (attached) memory_beans.release(jni);
    std::string result = publish(diagnosis, page_pattern, options.reply_file);
    // What the window took, for scripts/bench to set the cost against: samples per event, and the page's build.
    std::string counts;
    for (const Profile& profile : diagnosis.profiles) {
        counts += (counts.empty() ? "" : ", ") + profile.event + " " + std::to_string(profile.total_samples());
    }
    log().info("diagnosis: samples {}; allocation interval up to {} bytes; page built in {:.0f} ms of CPU", counts,
               alloc_rate.highest_interval(), (thread_cpu_seconds() - building_started) * 1000);
    if (attached) vm_->DetachCurrentThread();
    log().info("diagnosis: {}", result);
    return result;
}

}  // namespace hotframe
