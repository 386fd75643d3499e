#include "agent/profiler.h"

#include <dlfcn.h>
#include <unistd.h>

#include <sstream>

#include "agent/log.h"
#include "native/aggregate/hotspot_thread_key.h"
#include "native/aggregate/sample_rings.h"
#include "native/capture/fault_guard.h"
#include "native/capture/signal_handler.h"
#include "native/output/collapsed.h"
#include "native/output/html.h"
#include "native/output/output_file.h"

namespace hotframe {

namespace {

std::string default_file_pattern(OutputFormat format) {
    return format == OutputFormat::kCollapsed ? "hotframe-%p-%t.collapsed" : "hotframe-%p-%t.html";
}

std::string render(const Profile& profile, OutputFormat format) {
    if (format == OutputFormat::kCollapsed) return render_collapsed(profile, CollapsedOptions{});
    HtmlOptions html;
    html.title = std::string("hotframe ") + profile.event + " profile of pid " + std::to_string(getpid());
    return render_html(profile, html);
}

}  // namespace

Status check_output_path(const Options& options) {
    if (options.file.empty()) return Status::ok();
    return check_output_directory(expand_file_pattern(options.file, getpid(), std::time(nullptr)));
}

Profiler::Profiler(JavaVM* vm, jvmtiEnv* jvmti, const CompiledMethods* compiled)
    : vm_(vm), jvmti_(jvmti), compiled_(compiled) {}

Profiler::~Profiler() {
    std::lock_guard<std::mutex> lock(control_mutex_);
    stop_sampling_locked();
}

bool Profiler::running() {
    std::lock_guard<std::mutex> lock(control_mutex_);
    return aggregator_ != nullptr;
}

Status Profiler::start(const Options& options) {
    std::lock_guard<std::mutex> lock(control_mutex_);
    if (aggregator_ != nullptr) return Status::error("profiling is already running; stop it first");
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
    log().debug("HotSpot thread key: {}", thread_key);

    rings->reset();
    sampler::counters().reset();
    sampler::Wiring wiring{rings->rings(), rings->ring_count(),
                           StackCaptureContext{vm_, agct, SampleRings::kMaxFrames, thread_key}, options.interval_ns};
    sampler::configure(wiring);

    std::unique_ptr<Engine> engine =
        make_engine(options.event == EventType::kItimer ? EngineKind::kItimer : EngineKind::kCpu);
    auto aggregator = std::make_unique<Aggregator>(vm_, jvmti_, compiled_, rings);
    aggregator->start(engine.get());
    sampler::start_accepting();
    Status armed = engine->start(options.interval_ns);
    if (!armed.is_ok()) {
        sampler::stop_accepting_and_wait();
        aggregator->stop();
        return armed;
    }
    engine_description_ = engine->description();
    {
        std::lock_guard<std::mutex> engine_lock(engine_mutex_);
        engine_ = std::move(engine);
    }
    aggregator_ = std::move(aggregator);
    session_options_ = options;
    started_at_ = std::time(nullptr);
    log().info("profiling started: engine {}, interval {} us", engine_description_, options.interval_ns / 1000);
    return Status::ok();
}

// The order matters for the JVM's safety: disarm the timers, stop accepting and wait for handlers still in
// flight, then let the aggregator drain the rings and end. The SIGPROF handler stays installed.
void Profiler::stop_sampling_locked() {
    if (aggregator_ == nullptr) return;
    std::unique_ptr<Engine> engine;
    {
        std::lock_guard<std::mutex> engine_lock(engine_mutex_);
        engine = std::move(engine_);
    }
    engine->stop();
    sampler::stop_accepting_and_wait();
    aggregator_->stop();
}

Status Profiler::stop(const Options& options) {
    std::lock_guard<std::mutex> lock(control_mutex_);
    if (aggregator_ == nullptr) return Status::error("profiling is not running");
    stop_sampling_locked();
    Status written = write_output_locked(options);
    aggregator_.reset();
    log().info("profiling stopped");
    return written;
}

Status Profiler::dump(const Options& options) {
    std::lock_guard<std::mutex> lock(control_mutex_);
    if (aggregator_ == nullptr) return Status::error("profiling is not running");
    return write_output_locked(options);
}

Status Profiler::write_output_locked(const Options& options) {
    Options output = options;
    if (output.file.empty() && !output.format) {
        output.file = session_options_.file;
        output.format = session_options_.format;
    }
    OutputFormat format = output_format_of(output);
    std::string pattern = output.file.empty() ? default_file_pattern(format) : output.file;
    std::string path = expand_file_pattern(pattern, getpid(), std::time(nullptr));
    Profile profile = aggregator_->snapshot(event_name(session_options_.event), "ns");
    Status written = write_file_atomically(path, render(profile, format));
    if (written.is_ok()) {
        log().info("wrote {} samples ({} distinct stacks) to {}", profile.total_samples(), profile.stacks.size(), path);
    }
    return written;
}

std::string Profiler::status() {
    std::lock_guard<std::mutex> lock(control_mutex_);
    std::ostringstream out;
    if (aggregator_ == nullptr) {
        out << "profiling: not running\n";
        return out.str();
    }
    SampleCounters& counters = sampler::counters();
    out << "profiling: running\n"
        << "event: " << event_name(session_options_.event) << " (" << engine_description_ << ")\n"
        << "interval: " << session_options_.interval_ns << " ns\n"
        << "running for: " << (std::time(nullptr) - started_at_) << " s\n"
        << "samples: " << aggregator_->total_samples() << "\n"
        << "dropped (buffer full): " << counters.dropped.load() << "\n";
    for (int slot = 1; slot < kStatusSlotCount; slot++) {
        uint64_t count = counters.by_status[slot].load();
        if (count == 0) continue;
        out << "failed walks " << status_frame_name(status_of_slot(slot)) << ": " << count << "\n";
    }
    return out.str();
}

void Profiler::on_thread_start(pid_t tid) {
    std::lock_guard<std::mutex> lock(engine_mutex_);
    if (engine_ != nullptr) engine_->on_thread_start(tid);
}

void Profiler::on_thread_end(pid_t tid) {
    std::lock_guard<std::mutex> lock(engine_mutex_);
    if (engine_ != nullptr) engine_->on_thread_end(tid);
}

}  // namespace hotframe
