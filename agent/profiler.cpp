#include "agent/profiler.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "agent/java_threads.h"
#include "agent/jvmti_samples.h"
#include "agent/log.h"
#include "native/aggregate/hotspot_thread_key.h"
#include "native/aggregate/sample_rings.h"
#include "native/analysis/flat_report.h"
#include "native/analysis/pprof.h"
#include "native/capture/fault_guard.h"
#include "native/capture/signal_handler.h"
#include "native/output/collapsed.h"
#include "native/output/html.h"
#include "native/output/output_file.h"
#include "native/symbols/library_scan.h"

namespace hotframe {

namespace {

// Where a file name's extension begins, ".pb.gz" and ".flat.txt" counted whole; the end if it has none.
size_t extension_start(const std::string& path) {
    size_t slash = path.rfind('/');
    size_t name = slash == std::string::npos ? 0 : slash + 1;
    for (const char* double_extension : {".pb.gz", ".flat.txt", ".flat.json"}) {
        size_t length = std::strlen(double_extension);
        if (path.size() - name > length && path.compare(path.size() - length, length, double_extension) == 0) {
            return path.size() - length;
        }
    }
    size_t dot = path.rfind('.');
    return dot == std::string::npos || dot < name ? path.size() : dot;
}

// Lock profiles are about time waited, whatever `total` says: a thousand waits of a microsecond matter less
// than one of a second.
bool weighted_output(const Profile& profile, const Options& session) {
    return session.total || profile.event == "lock";
}

std::string render(const Profile& profile, OutputFormat format, const Options& session, const std::string& path,
                   const PprofMetadata& metadata) {
    bool weighted = weighted_output(profile, session);
    if (format == OutputFormat::kPprof) {
        PprofMetadata for_event = metadata;
        if (profile.event == "alloc") for_event.period = static_cast<int64_t>(session.alloc_interval);
        if (profile.event == "lock") for_event.period = 0;
        return write_pprof(profile, for_event);
    }
    if (format == OutputFormat::kFlat) {
        LoadedProfile loaded{profile, weighted, "live"};
        FlatReport report = make_flat_report(loaded, 20);
        return is_json_file(path) ? render_flat_json(report) : render_flat_text(report);
    }
    if (format == OutputFormat::kCollapsed) {
        CollapsedOptions collapsed;
        collapsed.weighted = weighted;
        collapsed.header = true;
        collapsed.annotate = session.annotate;
        return render_collapsed(profile, collapsed);
    }
    HtmlOptions html;
    html.title = std::string("hotframe ") + profile.event + " profile of pid " + std::to_string(getpid());
    html.width_by_weight = weighted;
    return render_html(profile, html);
}

// The pattern for one event's file: %e is the event's name. With several events and no %e, "-EVENT" goes
// before the extension, so that the files do not overwrite each other.
std::string pattern_for_event(const std::string& pattern, const std::string& event, size_t event_count) {
    std::string out = pattern;
    if (event_count > 1 && out.find("%e") == std::string::npos) out.insert(extension_start(out), "-%e");
    for (size_t at = out.find("%e"); at != std::string::npos; at = out.find("%e", at + event.size())) {
        out.replace(at, 2, event);
    }
    return out;
}

const char* extension_of(OutputFormat format) {
    switch (format) {
        case OutputFormat::kCollapsed:
            return "collapsed";
        case OutputFormat::kFlat:
            return "flat.txt";
        case OutputFormat::kPprof:
            return "pb.gz";
        case OutputFormat::kHtml:
            break;
    }
    return "html";
}

// The file pattern an output goes to: its own file=, else the session's, else dir=/hotframe-%p-%t.EXT, else
// hotframe-%p-%t.EXT in the working directory.
std::string output_pattern(const Options& output, const Options& session, OutputFormat format) {
    if (!output.file.empty()) return output.file;
    if (!output.directory.empty()) return output.directory + "/hotframe-%p-%t." + extension_of(format);
    if (!session.file.empty()) return session.file;
    std::string directory = session.directory.empty() ? "" : session.directory + "/";
    return directory + "hotframe-%p-%t." + extension_of(format);
}

OutputFormat format_for(const Options& output, const Options& session) {
    if (output.format || !output.file.empty()) return output_format_of(output);
    return output_format_of(session);
}

// The file a pattern names now. A pattern with %t is meant to give a new file each time, but %t has a
// resolution of one second: a second file within the same second gets "-2", "-3", ... before its extension.
std::string path_for(const std::string& pattern) {
    std::string path = expand_file_pattern(pattern, getpid(), std::time(nullptr));
    if (pattern.find("%t") == std::string::npos || access(path.c_str(), F_OK) != 0) return path;
    size_t dot = extension_start(path);
    for (int n = 2;; n++) {
        std::string candidate = path.substr(0, dot) + "-" + std::to_string(n) + path.substr(dot);
        if (access(candidate.c_str(), F_OK) != 0) return candidate;
    }
}

uint32_t injected_fault_period() {
    const char* every = std::getenv("HOTFRAME_INJECT_FAULT_EVERY");
    if (every == nullptr) return 0;
    long value = std::strtol(every, nullptr, 10);
    if (value <= 0) return 0;
    log().warn("HOTFRAME_INJECT_FAULT_EVERY={}: every {}th stack walk will fault on purpose (a test hook)", value,
               value);
    return static_cast<uint32_t>(value);
}

}  // namespace

Status check_output_path(const Options& options) {
    std::string pattern = options.file.empty() ? options.directory + "/x" : options.file;
    if (options.file.empty() && options.directory.empty()) return Status::ok();
    pattern = pattern_for_event(pattern, "event", 1);
    return check_output_directory(expand_file_pattern(pattern, getpid(), std::time(nullptr)));
}

Profiler::Profiler(JavaVM* vm, jvmtiEnv* jvmti, const CompiledMethods* compiled, const GeneratedCode* generated_code)
    : vm_(vm),
      jvmti_(jvmti),
      compiled_(compiled),
      generated_code_(generated_code),
      alloc_tracer_(jvmti, &class_names_),
      lock_tracer_(jvmti, &class_names_) {}

Profiler::~Profiler() {
    std::lock_guard<std::mutex> lock(control_mutex_);
    stop_sampling_locked();
}

bool Profiler::running() {
    std::lock_guard<std::mutex> lock(control_mutex_);
    return state_ == State::kRunning;
}

Status Profiler::start(const Options& options) {
    std::lock_guard<std::mutex> lock(control_mutex_);
    if (shut_down_) return Status::error("the JVM is shutting down");
    if (state_ == State::kRunning) return Status::error("profiling is already running; stop it first");
    if (Status writable = check_output_path(options); !writable.is_ok()) return writable;
    SampleRings* rings = SampleRings::instance();
    if (rings == nullptr) return Status::error("cannot allocate the sample buffers");
    if (!sampler::install_handler()) return Status::error("cannot install the SIGPROF handler");
    if (!fault_guard::install()) return Status::error("cannot install the SIGSEGV/SIGBUS fault guard");

    auto agct = reinterpret_cast<AgctFunction>(dlsym(RTLD_DEFAULT, "AsyncGetCallTrace"));
    if (agct == nullptr) log().warn("AsyncGetCallTrace not found in this JVM: samples will have no Java frames");
    JNIEnv* jni = nullptr;
    if (vm_->GetEnv(reinterpret_cast<void**>(&jni), JNI_VERSION_1_6) != JNI_OK) jni = nullptr;
    int thread_key = find_hotspot_thread_key(jni);
    if (thread_key < 0) {
        return Status::error("cannot find HotSpot's thread-local storage key; this JVM is not supported");
    }

    thread_names_.clear();
    {
        std::lock_guard<std::mutex> loop_lock(loop_mutex_);
        loop_files_.clear();
        last_loop_error_.clear();
    }
    bool names_needed = options.per_thread || !options.include.empty() || !options.exclude.empty();
    if (names_needed) name_running_threads(jvmti_, jni, thread_names_);

    rings->reset();
    sampler::counters().reset();
    start_jvmti_sample_session();
    sampler::Wiring wiring{
        rings->rings(), rings->ring_count(),
        StackCaptureContext{
            vm_, agct, SampleRings::kMaxFrames, thread_key, injected_fault_period(),
            options.native_stacks != NativeStacks::kNone,
            options.native_stacks == NativeStacks::kDwarf ? UnwindMethod::kDwarf : UnwindMethod::kFramePointers},
        options.interval_ns, options.event == EventType::kWall};
    sampler::configure(wiring);

    bool execution = options.event != EventType::kNone;
    AggregationSettings settings;
    settings.filter = SampleFilter(options.include, options.exclude);
    settings.per_thread = options.per_thread;
    settings.thread_names = &thread_names_;
    settings.class_names = &class_names_;
    settings.events[kEventExecution] = EventChannel{execution, event_name(options.event), "ns"};
    settings.events[kEventAlloc] = EventChannel{options.alloc_interval != 0, "alloc", "bytes"};
    settings.events[kEventLock] = EventChannel{options.lock, "lock", "ns"};
    settings.wall = options.event == EventType::kWall;
    settings.native_frames = options.native_stacks != NativeStacks::kNone;
    settings.unwind_tables = options.native_stacks == NativeStacks::kDwarf;
    settings.generated_code = generated_code_;
    // Before the first signal: a walk needs to know where library code is (and, for dwarf, how to unwind it).
    if (settings.native_frames) {
        library_scan::RefreshResult scanned = library_scan::refresh(settings.unwind_tables);
        if (scanned.tables_built != 0) {
            log().info("native unwind tables: {} libraries, {} rows, {:.1f} MB, built in {:.0f} ms",
                       scanned.tables_built, scanned.rows, static_cast<double>(scanned.table_bytes) / (1 << 20),
                       scanned.milliseconds);
        }
    }
    settings.period_ns = options.loop_ns;
    if (options.loop_ns != 0) {
        settings.on_period = [this, options](std::vector<Profile> profiles) {
            write_period(std::move(profiles), options);
        };
    }
    if (options.event == EventType::kItimer && options.interval_ns < 10'000'000) {
        log().warn(
            "itimer: the kernel delivers at most one signal per scheduler tick (often 4 ms), so below "
            "10ms CPU time is under-reported; event=cpu has no such limit");
    }

    std::unique_ptr<Engine> new_engine;
    if (options.event == EventType::kItimer) {
        new_engine = make_engine(EngineKind::kItimer);
    } else if (options.event == EventType::kWall) {
        new_engine = make_engine(EngineKind::kWall);
    } else if (options.event == EventType::kCpu) {
        new_engine = make_engine(EngineKind::kCpu);
    }
    Engine* engine = new_engine.get();
    if (options.kernel_frames) {
        std::string why = engine != nullptr ? engine->request_kernel_frames()
                                            : std::string("kernel frames need event=cpu on the perf_event engine");
        if (!why.empty()) log().warn("{}; profiling goes on without them", why);
    }
    {
        // Published before arming, so that threads starting from now on get a timer and a name.
        std::lock_guard<std::mutex> engine_lock(engine_mutex_);
        engine_ = std::move(new_engine);
        session_active_ = true;
    }
    auto aggregator = std::make_unique<Aggregator>(vm_, jvmti_, compiled_, rings, std::move(settings));
    aggregator->start(engine);
    sampler::start_accepting();
    // Each event is switched on in turn; if one cannot be, those already on are switched off again and the
    // previous session's aggregator (and any samples a failed stop kept) is left as it was.
    auto undo = [&](Status failure) {
        std::unique_ptr<Engine> failed;
        {
            std::lock_guard<std::mutex> engine_lock(engine_mutex_);
            failed = std::move(engine_);
            session_active_ = false;
        }
        alloc_tracer_.stop();
        lock_tracer_.stop();
        if (failed) failed->disarm();
        sampler::stop_accepting_and_wait();
        if (failed) failed->stop();
        aggregator->stop();
        return failure;
    };
    if (engine != nullptr) {
        if (Status armed = engine->start(options.interval_ns); !armed.is_ok()) return undo(armed);
    }
    if (options.alloc_interval != 0) {
        if (Status started = alloc_tracer_.start(options.alloc_interval); !started.is_ok()) return undo(started);
    }
    if (options.lock) {
        std::string warning;
        if (Status started = lock_tracer_.start(jni, options.lock_threshold_ns, &warning); !started.is_ok()) {
            return undo(started);
        }
        if (!warning.empty()) log().warn("{}", warning);
    }
    if (options.kernel_frames && engine != nullptr && !engine->kernel_frames_refusal().empty()) {
        log().warn("{}; profiling goes on without them", engine->kernel_frames_refusal());
    }
    engine_description_ = engine != nullptr ? engine->description() : "";
    if (options.alloc_interval != 0) {
        engine_description_ += std::string(engine_description_.empty() ? "" : ", ") + "alloc (every " +
                               std::to_string(options.alloc_interval) + " bytes)";
    }
    if (options.lock) {
        engine_description_ += std::string(engine_description_.empty() ? "" : ", ") + "lock (waits of at least " +
                               std::to_string(options.lock_threshold_ns) + " ns)";
    }
    aggregator_ = std::move(aggregator);
    session_options_ = options;
    state_ = State::kRunning;
    started_at_ = std::time(nullptr);
    log().info("profiling started: {}, interval {} us", engine_description_, options.interval_ns / 1000);
    return Status::ok();
}

// The order matters for the JVM's safety: disarm the timers, stop accepting and wait for handlers still in
// flight, then let the aggregator drain the rings and end. The SIGPROF handler stays installed.
void Profiler::stop_sampling_locked() {
    if (state_ != State::kRunning) return;
    std::unique_ptr<Engine> engine;
    {
        std::lock_guard<std::mutex> engine_lock(engine_mutex_);
        engine = std::move(engine_);
        session_active_ = false;
    }
    // Disarmed but not yet closed: a handler still running may re-arm its perf event by its fd, which must
    // not have been closed and reused by then.
    if (engine) engine->disarm();
    alloc_tracer_.stop();
    lock_tracer_.stop();
    sampler::stop_accepting_and_wait();
    if (engine) engine->stop();
    aggregator_->stop();
    state_ = State::kStopped;
}

Status Profiler::stop(const Options& options, std::vector<std::string>* written_paths) {
    std::lock_guard<std::mutex> lock(control_mutex_);
    if (state_ != State::kRunning) return Status::error("profiling is not running");
    if (Status writable = check_output_path(options); !writable.is_ok()) return writable;
    stop_sampling_locked();
    log().info("profiling stopped");
    return write_output_locked(options, written_paths);
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

Status Profiler::write_output_locked(const Options& options, std::vector<std::string>* written_paths) {
    OutputFormat format = format_for(options, session_options_);
    std::string pattern = output_pattern(options, session_options_, format);
    std::string probe = pattern_for_event(pattern, "event", 1);
    if (Status writable = check_output_directory(expand_file_pattern(probe, getpid(), std::time(nullptr)));
        !writable.is_ok()) {
        return writable;
    }
    std::vector<Profile> profiles = aggregator_->snapshot();
    std::lock_guard<std::mutex> write_lock(write_mutex_);
    for (const Profile& profile : profiles) {
        std::string path = path_for(pattern_for_event(pattern, profile.event, profiles.size()));
        Status written = write_file_atomically(path, render(profile, format, session_options_, path, metadata_now()));
        if (!written.is_ok()) return written;
        written_paths->push_back(path);
        log().info("wrote {} {} samples ({} distinct stacks) to {}", profile.total_samples(), profile.event,
                   profile.stacks.size(), path);
    }
    if (uint64_t dropped = sampler::counters().dropped.load(); dropped != 0) {
        log().warn("{} samples were dropped because the sample buffers were full", dropped);
    }
    return Status::ok();
}

void Profiler::write_period(std::vector<Profile> profiles, const Options& session) {
    for (const Profile& profile : profiles) write_period_file(profile, profiles.size(), session);
}

void Profiler::write_period_file(const Profile& profile, size_t event_count, const Options& session) {
    OutputFormat format = output_format_of(session);
    std::unique_lock<std::mutex> write_lock(write_mutex_);
    std::string path =
        path_for(pattern_for_event(output_pattern(Options{}, session, format), profile.event, event_count));
    Status written = write_file_atomically(path, render(profile, format, session, path, metadata_now()));
    write_lock.unlock();
    std::lock_guard<std::mutex> lock(loop_mutex_);
    if (!written.is_ok()) {
        // The interval's samples are lost, but sampling goes on: the next interval may well be written.
        last_loop_error_ = written.message();
        log().error("periodic dump failed: {}", written.message());
        return;
    }
    log().info("wrote {} {} samples of the last interval to {}", profile.total_samples(), profile.event, path);
    loop_files_.push_back(path);
    while (session.keep != 0 && loop_files_.size() > session.keep) {
        std::remove(loop_files_.front().c_str());
        loop_files_.pop_front();
    }
}

void Profiler::shut_down() {
    std::lock_guard<std::mutex> lock(control_mutex_);
    shut_down_ = true;
    if (state_ != State::kRunning) return;
    stop_sampling_locked();
    // The output named when profiling started (its file=, dir= and format) is written now, whichever way the
    // JVM is ending: main returning, System.exit, or a signal such as SIGTERM that runs the shutdown sequence.
    std::vector<std::string> paths;
    Status written = write_output_locked(Options{}, &paths);
    if (!written.is_ok()) log().error("profile not written at exit: {}", written.message());
}

std::string Profiler::status() {
    std::lock_guard<std::mutex> lock(control_mutex_);
    std::ostringstream out;
    if (state_ != State::kRunning) {
        out << "profiling: not running" << (state_ == State::kStopped ? " (samples of the last session kept)" : "")
            << "\n";
        return out.str();
    }
    SampleCounters& counters = sampler::counters();
    out << "profiling: running\n"
        << "event: " << engine_description_ << "\n"
        << "interval: " << session_options_.interval_ns << " ns\n"
        << "running for: " << (std::time(nullptr) - started_at_) << " s\n"
        << "samples: " << aggregator_->total_samples()
        << (session_options_.loop_ns != 0 ? " (in the current interval)" : "") << "\n"
        << "dropped (buffer full): " << counters.dropped.load() << "\n";
    if (uint64_t filtered = aggregator_->filtered_out(); filtered != 0) {
        out << "filtered out (include/exclude): " << filtered << "\n";
    }
    for (int slot = 1; slot < kStatusSlotCount; slot++) {
        uint64_t count = counters.by_status[slot].load();
        if (count != 0) out << "failed walks " << status_frame_name(status_of_slot(slot)) << ": " << count << "\n";
    }
    if (session_options_.loop_ns != 0) {
        std::lock_guard<std::mutex> loop_lock(loop_mutex_);
        out << "loop: every " << session_options_.loop_ns / 1'000'000'000 << " s, " << aggregator_->periods_written()
            << " intervals written" << (loop_files_.empty() ? "" : ", newest " + loop_files_.back()) << "\n";
        if (!last_loop_error_.empty()) out << "last loop error: " << last_loop_error_ << "\n";
    }
    return out.str();
}

void Profiler::on_thread_start(jvmtiEnv* jvmti, JNIEnv* jni, jthread thread) {
    pid_t tid = gettid();
    std::lock_guard<std::mutex> lock(engine_mutex_);
    if (!session_active_) return;
    thread_names_.set(tid, java_thread_name(jvmti, jni, thread));
    if (engine_ != nullptr) engine_->on_thread_start(tid);
}

}  // namespace hotframe
