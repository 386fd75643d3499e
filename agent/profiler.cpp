#include "agent/profiler.h"

#include <dlfcn.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <sstream>

#include "agent/cpu_budget.h"
#include "agent/ended_reply.h"
#include "agent/java_threads.h"
#include "agent/jvm_thread_list.h"
#include "agent/log.h"
#include "agent/profile_files.h"
#include "agent/vm_check_log.h"
#include "native/aggregate/hotspot_thread_key.h"
#include "native/aggregate/sample_rings.h"
#include "native/analysis/advice.h"
#include "native/capture/fault_guard.h"
#include "native/capture/signal_handler.h"
#include "native/engines/jvmti_samples.h"
#include "native/output/output_file.h"
#include "native/steady_clock.h"
#include "native/symbols/hotspot_safefetch.h"
#include "native/symbols/library_scan.h"
#include "native/symbols/native_symbols.h"

namespace hotframe {

namespace {

uint32_t injected_fault_period() {
    const char* every = std::getenv("HOTFRAME_INJECT_FAULT_EVERY");
    if (every == nullptr) return 0;
    long value = std::strtol(every, nullptr, 10);
    if (value <= 0) return 0;
    log().warn("HOTFRAME_INJECT_FAULT_EVERY={}: every {}th stack walk will fault on purpose (a test hook)", value,
               value);
    return static_cast<uint32_t>(value);
}

// Whether HOTFRAME_INJECT_FAULT_KIND=safefetch asks the injected faults to be HotSpot's own SafeFetch probes.
bool inject_safefetch_asked() {
    const char* kind = std::getenv("HOTFRAME_INJECT_FAULT_KIND");
    return kind != nullptr && std::string(kind) == "safefetch";
}

// AsyncGetCallTrace probes pointers with HotSpot's SafeFetch, whose faults HotSpot's handler resumes: the fault
// guard, which sees them first while a walk is guarded, must resume them the same way (hotspot_safefetch.h).
// Looked up once per process (libjvm's symbol table read on the JVM's thread: 4-6 ms here), in sessions that
// call AsyncGetCallTrace or inject faults. Returns SafeFetch32 for the test hook, or null.
int (*resume_hotspot_safefetch(bool agct_used))(int*, int) {
    static bool looked = false;
    static HotSpotSafeFetch found{};
    static bool resumable = false;
    bool hook = inject_safefetch_asked();
    if (!looked && (agct_used || hook)) {
        looked = true;
        std::string why;
        uint64_t started = steady_now_ns();
        resumable = find_hotspot_safefetch(&found, &why);
        for (int probe = 0; resumable && probe < 2; probe++) {
            resumable = fault_guard::add_resumable_fault(found.fault_pcs[probe], found.continuation_pcs[probe]);
        }
        if (resumable) {
            log().info("fault guard: HotSpot's SafeFetch probes resume as HotSpot resumes them (found in {:.1f} ms)",
                       static_cast<double>(steady_now_ns() - started) / 1e6);
        } else {
            log().info(
                "fault guard: {}; a sample whose AsyncGetCallTrace probes an unreadable pointer with "
                "SafeFetch ends as [agct_fault]",
                why.empty() ? "no room for HotSpot's SafeFetch probes" : why);
        }
    }
    if (!hook || !resumable || found.fetch32 == 0) return nullptr;
    log().warn(
        "HOTFRAME_INJECT_FAULT_KIND=safefetch: the injected faults are HotSpot's SafeFetch32 on address 0 "
        "(a test hook)");
    return reinterpret_cast<int (*)(int*, int)>(found.fetch32);
}

bool bench_empty_handler() {
    const char* empty = std::getenv("HOTFRAME_BENCH_EMPTY_HANDLER");
    if (empty == nullptr || std::string(empty) != "1") return false;
    log().warn("HOTFRAME_BENCH_EMPTY_HANDLER: signals are counted and no samples taken (a benchmark hook)");
    return true;
}

const char* native_stacks_name(NativeStacks stacks) {
    switch (stacks) {
        case NativeStacks::kNone:
            return "no";
        case NativeStacks::kFramePointers:
            return "fp";
        case NativeStacks::kDwarf:
            return "dwarf";
    }
    return "?";
}

// The session's cpu event, as the mechanism of its signal engine.
SignalMechanism mechanism_of(EventType event) {
    return event == EventType::kItimer ? SignalMechanism::kItimer : SignalMechanism::kCpu;
}

// The handlers of the session's signals, checked at every start (someone may have taken one since), and the
// fault guard of the stack walk.
Status install_signal_handlers(const Options& options) {
    bool cpu = options.event != EventType::kNone, wall = options.wall_interval_ns != 0;
    for (int signal : {cpu ? options.cpu_signal : 0, wall ? options.wall_signal : 0}) {
        if (signal == 0) continue;
        capture::InstallResult installed = capture::install_handler(signal);
        if (installed == capture::InstallResult::kInUse) {
            return Status::error("signal " + std::to_string(signal) +
                                 " is handled by someone else in this JVM (JDK 25's JFR CPU sampler takes SIGPROF, "
                                 "27); choose others with signal=CPU/WALL, e.g. signal=10/26");
        }
        if (installed != capture::InstallResult::kInstalled) {
            return Status::error("cannot install the handler of signal " + std::to_string(signal));
        }
    }
    if (!fault_guard::install()) return Status::error("cannot install the SIGSEGV/SIGBUS fault guard");
    return Status::ok();
}

// Before the first signal: a walk needs to know where library code is (and, for dwarf, how to unwind it).
void prepare_native_walk(bool unwind_tables) {
    library_scan::RefreshResult scanned = library_scan::refresh(unwind_tables);
    if (scanned.tables_built != 0) {
        log().info("native unwind tables: {} libraries, {} rows, {:.1f} MB, built in {:.0f} ms", scanned.tables_built,
                   scanned.rows, static_cast<double>(scanned.table_bytes) / (1 << 20), scanned.milliseconds);
    }
}

// How many objects were named from separate debug files, so that a reader of the log knows why libc's
// functions have names on one machine and offsets on another.
void log_debug_file_names(const Options& session) {
    if (session.native_stacks == NativeStacks::kNone) return;
    if (!session.debug_files) {
        log().info("native names: separate debug files not read (debuginfo=off)");
        return;
    }
    std::vector<std::string> objects = NativeSymbols::shared().objects_named_by_debug_files();
    std::string list;
    for (const std::string& object : objects) list += (list.empty() ? "" : ", ") + object;
    log().info("native names from separate debug files: {} object{}{}{}", objects.size(),
               objects.size() == 1 ? "" : "s", objects.empty() ? "" : ": ", list);
    for (const std::string& refused : NativeSymbols::shared().refused_debug_files()) {
        log().warn("separate debug file not read: {}", refused);
    }
}

// What native frames lost, and why: libraries replaced on disk since they were loaded (named by offsets), and
// those whose unwind table went past the reader's limits (eh_frame.h; their later functions walk by frame
// pointers).
void log_native_table_warnings() {
    for (const std::string& library : NativeSymbols::shared().replaced_objects()) {
        log().warn(
            "native names of {} by offset: the file was replaced or deleted since it was loaded (a package "
            "upgrade?)",
            library);
    }
    for (const std::string& library : library_scan::cut_tables()) {
        log().warn("native unwind table of {} read only in part: it goes past the reader's limits", library);
    }
}

// What naming Java frames cost in this session (scripts/bench --workload naming reads this line).
void log_naming_cost(const Aggregator::NamingCost& cost) {
    if (cost.frames == 0) return;
    auto per_frame_us = [&cost](uint64_t ns) {
        return static_cast<double>(ns) / 1e3 / static_cast<double>(cost.frames);
    };
    log().info(
        "Java frame names: {} distinct frames from {} lookups, {} line tables, in {:.1f} ms ({:.1f} ms of CPU): "
        "{:.1f} us per frame, {:.1f} us of CPU",
        cost.frames, cost.lookups, cost.line_tables, static_cast<double>(cost.nanoseconds) / 1e6,
        static_cast<double>(cost.cpu_nanoseconds) / 1e6, per_frame_us(cost.nanoseconds),
        per_frame_us(cost.cpu_nanoseconds));
}

}  // namespace

Profiler::Profiler(JavaVM* vm, jvmtiEnv* jvmti, const CompiledMethods* compiled, const GeneratedCode* generated_code)
    : vm_(vm),
      jvmti_(jvmti),
      compiled_(compiled),
      generated_code_(generated_code),
      alloc_engine_(jvmti, &class_names_),
      lock_engine_(jvmti, &class_names_) {}

Profiler::~Profiler() {
    std::lock_guard<std::mutex> lock(control_mutex_);
    if (state_ == State::kRunning) {
        tear_down_locked(aggregator_.get());
        state_ = State::kStopped;
    }
    join_timeout_thread();
}

void Profiler::join_timeout_thread() {
    // The generation has moved on (every session end bumps it), so the thread is leaving: it never waits for
    // control_mutex_, which our caller holds, while its session is over.
    if (timeout_thread_.joinable() && timeout_thread_.get_id() != std::this_thread::get_id()) {
        timeout_thread_.join();
    }
}

void Profiler::run_timeout(uint64_t generation, uint64_t timeout_ns) {
    JNIEnv* jni = nullptr;
    JavaVMAttachArgs attach{JNI_VERSION_1_6, const_cast<char*>("hotframe timeout"), nullptr};
    bool attached = vm_->AttachCurrentThreadAsDaemon(reinterpret_cast<void**>(&jni), &attach) == JNI_OK;
    auto over = [&] { return session_generation_ != generation; };
    {
        std::unique_lock<std::mutex> lock(timeout_mutex_);
        timeout_wake_.wait_for(lock, std::chrono::nanoseconds(timeout_ns), over);
    }
    // try_lock, not lock: whoever ends the session first holds control_mutex_ and then joins this thread.
    bool locked = false;
    while (!locked) {
        locked = control_mutex_.try_lock();
        if (locked) break;
        std::unique_lock<std::mutex> lock(timeout_mutex_);
        if (over()) break;
        timeout_wake_.wait_for(lock, std::chrono::milliseconds(10), over);
    }
    if (locked) {
        bool ours;
        {
            std::lock_guard<std::mutex> lock(timeout_mutex_);
            ours = !over() && state_ == State::kRunning;
        }
        if (ours) end_session_writing_locked("timeout of " + std::to_string(timeout_ns / 1'000'000) + " ms reached");
        control_mutex_.unlock();
    }
    if (attached) vm_->DetachCurrentThread();
}

bool Profiler::running() {
    std::lock_guard<std::mutex> lock(control_mutex_);
    return state_ == State::kRunning;
}

Profiler::SessionEngines Profiler::make_engines(const Options& options) {
    SessionEngines engines;
    if (options.event != EventType::kNone) {
        engines.signal.push_back(
            make_signal_engine(mechanism_of(options.event), options.interval_ns, options.cpu_signal));
    }
    if (options.wall_interval_ns != 0) {
        engines.signal.push_back(
            make_signal_engine(SignalMechanism::kWall, options.wall_interval_ns, options.wall_signal));
    }
    for (auto& engine : engines.signal) engines.all.push_back(engine.get());
    if (options.alloc_interval != 0) {
        alloc_engine_.set_interval(options.alloc_interval);
        engines.all.push_back(&alloc_engine_);
    }
    if (options.lock) {
        lock_engine_.set_threshold(options.lock_threshold_ns);
        engines.all.push_back(&lock_engine_);
    }
    return engines;
}

Status Profiler::start(const Options& options) {
    std::lock_guard<std::mutex> lock(control_mutex_);
    if (shut_down_) return Status::error("the JVM is shutting down");
    if (state_ == State::kRunning) return Status::error("profiling is already running; stop it first");
    if (Status writable = check_profile_output(options); !writable.is_ok()) return writable;
    SampleRings* rings = SampleRings::instance();
    if (rings == nullptr) return Status::error("cannot allocate the sample buffers");
    bool cpu = options.event != EventType::kNone, wall = options.wall_interval_ns != 0;
    if (Status installed = install_signal_handlers(options); !installed.is_ok()) return installed;

    auto agct = reinterpret_cast<AgctFunction>(dlsym(RTLD_DEFAULT, "AsyncGetCallTrace"));
    if (agct == nullptr) log().warn("AsyncGetCallTrace not found in this JVM: samples will have no Java frames");
    JNIEnv* jni = nullptr;
    if (vm_->GetEnv(reinterpret_cast<void**>(&jni), JNI_VERSION_1_6) != JNI_OK) jni = nullptr;
    HotspotThreadKey thread_key = find_hotspot_thread_key(jni);
    if (thread_key.key < 0) {
        return Status::error("cannot find HotSpot's thread-local storage key; this JVM is not supported");
    }

    thread_names_.clear();
    {
        std::lock_guard<std::mutex> loop_lock(loop_mutex_);
        loop_files_ = FileRotation(options.keep);
        periods_written_ = 0;
        periods_failed_ = 0;
        last_loop_error_.clear();
    }
    bool names_needed = options.per_thread || !options.include.empty() || !options.exclude.empty();
    if (names_needed) name_running_threads(jvmti_, jni, thread_names_);

    rings->reset();
    capture::counters().reset();
    start_jvmti_sample_session();
    bool native_frames = options.native_stacks != NativeStacks::kNone;
    bool unwind_tables = options.native_stacks == NativeStacks::kDwarf;
    const VmLayout* vm_layout = vm_walker_locked(options, jni, thread_key.key);
    session_vm_walker_ = vm_layout != nullptr;
    int (*inject_safefetch)(int*, int) =
        resume_hotspot_safefetch(agct != nullptr && (vm_layout == nullptr || options.vm_check));
    capture::Wiring wiring{
        rings->rings(),
        rings->ring_count(),
        StackCaptureContext{thread_key.key, thread_key.env_offset, thread_key.functions, agct, SampleRings::kMaxFrames,
                            injected_fault_period(), inject_safefetch, native_frames,
                            unwind_tables ? UnwindMethod::kDwarf : UnwindMethod::kFramePointers, vm_layout,
                            vm_layout != nullptr && options.vm_check, &capture::counters().vm_check},
        options.interval_ns,
        cpu ? options.cpu_signal : 0,
        wall ? options.wall_signal : 0,
        bench_empty_handler()};
    session_empty_handler_ = wiring.empty_handler;
    capture::configure(wiring);
    if (native_frames) prepare_native_walk(unwind_tables);
    if (options.event == EventType::kItimer && options.interval_ns < 10'000'000) {
        log().warn(
            "itimer: the kernel delivers at most one signal per scheduler tick (often 4 ms), so below "
            "10ms CPU time is under-reported; event=cpu has no such limit");
    }

    SessionEngines engines = make_engines(options);
    if (options.kernel_frames) {
        std::string why = !cpu ? "kernel frames need event=cpu on the perf_event engine"
                               : engines.signal.front()->request_kernel_frames();
        if (!why.empty()) log().warn("{}; profiling goes on without them", why);
    }

    AggregationSettings settings = aggregation_settings(options);
    auto aggregator = std::make_unique<Aggregator>(vm_, jvmti_, compiled_, rings, std::move(settings));
    {
        // Published before arming, so that threads starting from now on get a timer and a name.
        std::lock_guard<std::mutex> engine_lock(engine_mutex_);
        engines_ = std::move(engines);
        session_active_ = true;
    }
    aggregator->start();
    capture::start_accepting();
    if (Status started = start_engines_locked(options, jni); !started.is_ok()) {
        // The previous session's aggregator (and any samples a failed stop kept) is left as it was.
        tear_down_locked(aggregator.get());
        return started;
    }
    aggregator_ = std::move(aggregator);
    begin_session_locked(options);
    // The process's CPU so far is what no profile of this session can hold (JVM start-up, the agent's own set-up),
    // so that whoever compares samples with the process's CPU time knows what to leave out.
    log().info("profiling started: {}, interval {} us, after {:.3f} s of process CPU", engine_description_,
               options.interval_ns / 1000, process_cpu_seconds());
    return Status::ok();
}

AggregationSettings Profiler::aggregation_settings(const Options& options) {
    bool cpu = options.event != EventType::kNone, wall = options.wall_interval_ns != 0;
    bool native_frames = options.native_stacks != NativeStacks::kNone;
    AggregationSettings settings;
    settings.filter = SampleFilter(options.include, options.exclude);
    settings.per_thread = options.per_thread;
    settings.thread_names = &thread_names_;
    settings.class_names = &class_names_;
    settings.events[kEventExecution] = EventChannel{cpu, event_name(options.event), "ns"};
    settings.events[kEventAlloc] = EventChannel{options.alloc_interval != 0, "alloc", "bytes"};
    settings.events[kEventLock] = EventChannel{options.lock, "lock", "ns"};
    settings.events[kEventWall] = EventChannel{wall, "wall", "ns"};
    settings.native_frames = native_frames;
    settings.unwind_tables = options.native_stacks == NativeStacks::kDwarf;
    settings.generated_code = generated_code_;
    settings.debug_files = options.debug_files;
    settings.signatures = options.signatures;
    // pprof carries lines whatever `lines` says (go tool pprof -lines); other outputs show them only with it.
    settings.lines = options.lines || output_format_of(options) == OutputFormat::kPprof;
    // The aggregator reaches the signal engines only through the session, under engine_mutex_: they go away
    // at the session's end while the aggregator's last drain may still run.
    settings.refresh_threads = [this] {
        std::lock_guard<std::mutex> engine_lock(engine_mutex_);
        for (auto& engine : engines_.signal) engine->refresh_threads();
    };
    settings.list_jvm_threads = [](JNIEnv* jni) {
        uint64_t started = steady_now_ns(), started_cpu = thread_cpu_now_ns();
        std::vector<ListedThread> listed = list_jvm_threads(jni);
        log().debug("the JVM's thread list: {} threads in {} us ({} us of this thread's CPU)", listed.size(),
                    (steady_now_ns() - started) / 1000, (thread_cpu_now_ns() - started_cpu) / 1000);
        return listed;
    };
    settings.skip_thread = [this](pid_t tid) {
        std::lock_guard<std::mutex> engine_lock(engine_mutex_);
        for (auto& engine : engines_.signal) engine->skip_thread(tid);
    };
    settings.memory_limit = options.memory_limit;
    settings.period_ns = options.loop_ns;
    if (options.loop_ns != 0) {
        settings.on_period = [this, options](std::vector<Profile> profiles) { write_period(profiles, options); };
    }
    return settings;
}

// The session is running: what status, the advice and timeout= need from its start.
void Profiler::begin_session_locked(const Options& options) {
    session_options_ = options;
    state_ = State::kRunning;
    started_at_ = std::time(nullptr);
    started_cpu_seconds_ = process_cpu_seconds();
    started_steady_ns_ = steady_now_ns();
    join_timeout_thread();
    if (options.timeout_ns != 0) {
        uint64_t generation;
        {
            std::lock_guard<std::mutex> timeout_lock(timeout_mutex_);
            generation = session_generation_;
        }
        timeout_thread_ =
            std::thread([this, generation, timeout = options.timeout_ns] { run_timeout(generation, timeout); });
    }
}

// Each engine is switched on in turn; the first that cannot be fails the start, and the caller tears down
// the whole session (engines never started are safe to disarm and stop).
Status Profiler::start_engines_locked(const Options& options, JNIEnv* jni) {
    std::vector<Engine*> engines;
    {
        std::lock_guard<std::mutex> engine_lock(engine_mutex_);
        engines = engines_.all;
    }
    engine_description_.clear();
    for (Engine* engine : engines) {
        if (Status started = engine->start(jni); !started.is_ok()) return started;
        if (std::string warning = engine->warning(); !warning.empty()) log().warn("{}", warning);
        engine_description_ += (engine_description_.empty() ? "" : ", ") + engine->description();
    }
    if (options.kernel_frames) {
        std::lock_guard<std::mutex> engine_lock(engine_mutex_);
        if (options.event != EventType::kNone && !engines_.signal.front()->kernel_frames_refusal().empty()) {
            log().warn("{}; profiling goes on without them", engines_.signal.front()->kernel_frames_refusal());
        }
    }
    return Status::ok();
}

const VmLayout* Profiler::vm_walker_locked(const Options& options, JNIEnv* jni, int thread_key) {
    if (options.java_stacks == JavaStacks::kAgct) {
        log().info("Java stack walker: AsyncGetCallTrace (cstack={})", native_stacks_name(options.native_stacks));
        return nullptr;
    }
    if (options.java_stacks == JavaStacks::kDefault) {
        // The default where the suite proves the walker (its layouts and the regex example's targets); elsewhere
        // AsyncGetCallTrace until someone has checked that JDK.
        int version = jdk_feature_version(jvmti_);
        if (version != 17 && version != 25) {
            log().info(
                "Java stack walker: AsyncGetCallTrace: vm is the default on JDK 17 and 25, this is JDK {}; "
                "cstack=vm asks for it",
                version);
            return nullptr;
        }
    }
    // Checked once, unless the self-walk may have met a race (then again at the next session: the layout is in
    // no handler's use while the walker is unusable, so rewriting it is safe).
    if (!vm_walker_checked_) {
        vm_walker_ = check_vm_walker(jvmti_, jni, thread_key, &vm_layout_);
        vm_walker_checked_ = !vm_walker_.worth_retrying;
    }
    if (!vm_walker_.usable) {
        log().warn("Java stack walker: AsyncGetCallTrace (as cstack=dwarf), not vm: {}", vm_walker_.why);
        return nullptr;
    }
    log().info("Java stack walker: vm (HotSpot's structures, JDK {}): {}", vm_walker_.feature_version, vm_walker_.why);
    return &vm_layout_;
}

// hotframe's own threads are not sampled (native/aggregate/own_threads.h): what they cost is said here instead.
void Profiler::log_own_threads_cpu_locked() {
    double aggregator = static_cast<double>(aggregator_->cpu_nanoseconds()) / 1e9;
    double session = process_cpu_seconds() - started_cpu_seconds_;
    log().info(
        "hotframe's aggregator thread is not sampled; it used {:.1f} ms of CPU in this session ({:.2f}% of the "
        "process's {:.2f} s)",
        aggregator * 1e3, session > 0 ? 100 * aggregator / session : 0.0, session);
}

// The session's walks, for the log: vmcheck's comparison in the handler, and how allocation and lock samples got
// their stacks. JNI is this thread's (the attach listener, VMDeath's or the timeout thread), if it has one.
void Profiler::log_vm_check_locked() {
    JNIEnv* jni = nullptr;
    if (vm_->GetEnv(reinterpret_cast<void**>(&jni), JNI_VERSION_1_6) != JNI_OK) jni = nullptr;
    bool vm_check = session_options_.vm_check && session_vm_walker_;
    if (vm_check) log_vm_check(jvmti_, jni, generated_code_, capture::counters().vm_check);
    log_callback_walks(jvmti_, jni, vm_check);
}

// The order matters for the JVM's safety: disarm every engine (no new signals or callbacks), stop accepting
// samples and wait for the handlers still in flight, only then release the engines (a handler may still
// re-arm its perf event by fd, which must not have been closed and reused), and finally let the aggregator
// drain the rings and end. The signal handlers stay installed.
void Profiler::tear_down_locked(Aggregator* aggregator) {
    SessionEngines engines;
    {
        std::lock_guard<std::mutex> engine_lock(engine_mutex_);
        engines = std::move(engines_);
        engines_ = SessionEngines{};
        session_active_ = false;
    }
    {
        std::lock_guard<std::mutex> timeout_lock(timeout_mutex_);
        session_generation_++;
    }
    timeout_wake_.notify_all();
    for (Engine* engine : engines.all) engine->disarm();
    capture::stop_accepting_and_wait();
    log_vm_check_locked();
    for (Engine* engine : engines.all) engine->stop();
    if (aggregator != nullptr) aggregator->stop();
}

Status Profiler::stop(const Options& options, std::vector<std::string>* written_paths, std::string* advice) {
    std::lock_guard<std::mutex> lock(control_mutex_);
    if (state_ != State::kRunning) return Status::error("profiling is not running");
    if (Status writable = check_profile_output(options); !writable.is_ok()) return writable;
    tear_down_locked(aggregator_.get());
    state_ = State::kStopped;
    log().info("profiling stopped");
    return write_output_locked(options, written_paths, advice);
}

Status Profiler::stop_taking_profiles(std::vector<Profile>* profiles) {
    std::lock_guard<std::mutex> lock(control_mutex_);
    if (state_ != State::kRunning) return Status::error("profiling is not running");
    tear_down_locked(aggregator_.get());
    state_ = State::kStopped;
    log().info("profiling stopped");
    *profiles = aggregator_->snapshot();
    return Status::ok();
}

std::string Profiler::advice_locked(const std::vector<Profile>& profiles) {
    if (session_options_.event == EventType::kNone || session_options_.loop_ns != 0) return "";
    RunFacts facts;
    facts.cpu_seconds = process_cpu_seconds() - started_cpu_seconds_;
    facts.wall_seconds = static_cast<double>(steady_now_ns() - started_steady_ns_) / 1e9;
    facts.cpus_available = available_cpus();
    for (const Profile& profile : profiles) {
        if (profile.event != event_name(session_options_.event)) continue;
        facts.samples = profile.total_samples();
        facts.jit_samples = jit_compiler_samples(profile);
    }
    return run_advice(facts);
}

Status Profiler::dump(const Options& options, std::vector<std::string>* written_paths) {
    std::lock_guard<std::mutex> lock(control_mutex_);
    if (state_ == State::kIdle || aggregator_ == nullptr) {
        return Status::error("profiling is not running and there is nothing to dump");
    }
    return write_output_locked(options, written_paths);
}

PprofMetadata Profiler::metadata_now() const {
    PprofMetadata metadata;
    metadata.time_ns = static_cast<int64_t>(started_at_) * 1'000'000'000;
    metadata.duration_ns = static_cast<int64_t>(std::time(nullptr) - started_at_) * 1'000'000'000;
    // In the period type's unit: ns between samples for cpu, itimer and wall, bytes for alloc; lock records
    // every wait over the threshold, which is no period.
    metadata.period = static_cast<int64_t>(session_options_.interval_ns);
    return metadata;
}

Status Profiler::write_output_locked(const Options& options, std::vector<std::string>* written_paths,
                                     std::string* advice) {
    OutputFormat format = format_for(options, session_options_);
    std::string pattern = profile_pattern(options, session_options_, format);
    if (Status writable = check_output_pattern(pattern); !writable.is_ok()) return writable;
    std::vector<Profile> profiles = aggregator_->snapshot();
    if (advice != nullptr) *advice = advice_locked(profiles);
    std::lock_guard<std::mutex> write_lock(write_mutex_);
    for (const Profile& profile : profiles) {
        std::string path =
            next_output_path(pattern_for_event(pattern, profile.event, profiles.size()), std::time(nullptr));
        Status written =
            write_file_atomically(path, render_profile(profile, format, session_options_, path, metadata_now()));
        if (!written.is_ok()) return written;
        written_paths->push_back(path);
        log().info("wrote {} {} samples ({} distinct stacks) to {}", profile.total_samples(), profile.event,
                   profile.stacks.size(), path);
    }
    log_debug_file_names(session_options_);
    log_native_table_warnings();
    log_naming_cost(aggregator_->naming_cost());
    log_own_threads_cpu_locked();
    // Read by scripts/bench (what a session with HOTFRAME_BENCH_EMPTY_HANDLER took, having written no sample) and
    // by the tests of itimer, whose signal count is the kernel's to choose (it checks the timer on each CPU's
    // scheduler tick and sends at most one signal a check): what the agent answers for is turning each signal it
    // got into a sample.
    uint64_t signals = capture::counters().signals.load();
    if (session_empty_handler_) {
        log().info("signals handled: {}", signals);
    } else {
        log().debug("signals handled: {}", signals);
    }
    if (uint64_t dropped = capture::counters().dropped.load(); dropped != 0) {
        // Records not packed take the room of the deepest stack: many of them are one reason buffers fill.
        log().warn("{} samples were dropped because the sample buffers were full ({} records not packed)", dropped,
                   capture::counters().unpacked.load());
    } else {
        log().debug("records not packed: {}", capture::counters().unpacked.load());
    }
    return Status::ok();
}

void Profiler::write_period(const std::vector<Profile>& profiles, const Options& session) {
    OutputFormat format = output_format_of(session);
    std::string pattern = profile_pattern(Options{}, session, format);
    bool all_written = true;
    for (const Profile& profile : profiles) {
        std::unique_lock<std::mutex> write_lock(write_mutex_);
        std::string path =
            next_output_path(pattern_for_event(pattern, profile.event, profiles.size()), std::time(nullptr));
        Status written = write_file_atomically(path, render_profile(profile, format, session, path, metadata_now()));
        write_lock.unlock();
        std::lock_guard<std::mutex> lock(loop_mutex_);
        if (!written.is_ok()) {
            // The interval's samples are lost, but sampling goes on: the next interval may well be written.
            all_written = false;
            last_loop_error_ = written.message();
            log().error("periodic dump failed: {}", written.message());
            continue;
        }
        log().info("wrote {} {} samples of the last interval to {}", profile.total_samples(), profile.event, path);
        loop_files_.add(path);
    }
    std::lock_guard<std::mutex> lock(loop_mutex_);
    (all_written ? periods_written_ : periods_failed_)++;
}

void Profiler::shut_down() {
    std::lock_guard<std::mutex> lock(control_mutex_);
    shut_down_ = true;
    if (state_ != State::kRunning) return;
    // The output named when profiling started (its file=, dir= and format) is written now, whichever way the
    // JVM is ending: main returning, System.exit, or a signal such as SIGTERM that runs the shutdown sequence.
    end_session_writing_locked("the JVM is ending");
    join_timeout_thread();
}

void Profiler::end_session_writing_locked(const std::string& why) {
    tear_down_locked(aggregator_.get());
    state_ = State::kStopped;
    log().info("profiling stopped: {}", why);
    std::vector<std::string> paths;
    Status written = write_output_locked(Options{}, &paths);
    if (!written.is_ok()) log().error("profile not written ({}): {}", why, written.message());
    // A launcher waiting out -d learns here what its session wrote: no stop command will answer it.
    if (!session_options_.reply_file.empty()) {
        std::string error = written.is_ok() ? "" : "profile not written (" + why + "): " + written.message();
        std::string failure;
        EndedReply replied =
            write_ended_reply(session_options_.reply_file, ended_reply_text(why, error, paths), &failure);
        if (replied == EndedReply::kNoLauncherDirectory) {
            log().debug("no launcher waits for this session's end: {} is not its reply directory (any more)",
                        session_options_.reply_file);
        } else if (replied == EndedReply::kWriteFailed) {
            log().warn("cannot tell the launcher what was written ({}.ended): {}", session_options_.reply_file,
                       failure);
        }
    }
}

std::string Profiler::status() {
    std::lock_guard<std::mutex> lock(control_mutex_);
    std::ostringstream out;
    if (state_ != State::kRunning) {
        out << "profiling: not running" << (state_ == State::kStopped ? " (samples of the last session kept)" : "")
            << "\n";
        return out.str();
    }
    SampleCounters& counters = capture::counters();
    out << "profiling: running\n"
        << "event: " << engine_description_ << "\n"
        << "interval: " << session_options_.interval_ns << " ns\n"
        << (session_options_.wall_interval_ns != 0 && session_options_.event != EventType::kNone
                ? "wall interval: " + std::to_string(session_options_.wall_interval_ns) + " ns\n"
                : "")
        << (session_options_.timeout_ns != 0
                ? "timeout: " + std::to_string(session_options_.timeout_ns / 1'000'000) + " ms\n"
                : "")
        << "running for: " << (std::time(nullptr) - started_at_) << " s\n"
        << "samples: " << aggregator_->total_samples()
        << (session_options_.loop_ns != 0 ? " (in the current interval)" : "") << "\n"
        << "dropped (buffer full): " << counters.dropped.load() << "\n"
        << "records not packed (another thread's sample in the same buffer meanwhile): " << counters.unpacked.load()
        << "\n"
        << "java stack walker: " << (session_vm_walker_ ? "vm" : "AsyncGetCallTrace") << "\n";
    out << "memory: " << aggregator_->counted_bytes() << " bytes counted of memlimit " << session_options_.memory_limit
        << "\n";
    if (uint64_t over = aggregator_->samples_over_limit(); over != 0) {
        out << "samples over memlimit: " << over << " (counted under " << CallTraceTable::kOverLimitFrame << ")\n";
    }
    if (uint64_t filtered = aggregator_->filtered_out(); filtered != 0) {
        out << "filtered out (include/exclude): " << filtered << "\n";
    }
    for (int slot = 1; slot < kStatusSlotCount; slot++) {
        uint64_t count = counters.by_status[slot].load();
        if (count != 0) out << "failed walks " << status_frame_name(status_of_slot(slot)) << ": " << count << "\n";
    }
    if (session_options_.loop_ns != 0) {
        std::lock_guard<std::mutex> loop_lock(loop_mutex_);
        out << "loop: every " << session_options_.loop_ns / 1'000'000'000 << " s, " << periods_written_
            << " intervals written, " << periods_failed_ << " failed"
            << (loop_files_.size() == 0 ? "" : ", newest " + loop_files_.newest()) << "\n";
        if (!last_loop_error_.empty()) out << "last loop error: " << last_loop_error_ << "\n";
    }
    return out.str();
}

void Profiler::on_thread_start(jvmtiEnv* jvmti, JNIEnv* jni, jthread thread) {
    pid_t tid = gettid();
    std::lock_guard<std::mutex> lock(engine_mutex_);
    if (!session_active_) return;
    thread_names_.set(tid, java_thread_name(jvmti, jni, thread));
    for (auto& engine : engines_.signal) engine->on_thread_start(tid);
}

}  // namespace hotframe
