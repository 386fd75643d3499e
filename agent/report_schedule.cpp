#include "agent/report_schedule.h"

#include <chrono>
#include <ctime>

#include "agent/log.h"
#include "native/output/output_file.h"
#include "native/output/output_paths.h"

namespace hotframe {

namespace {

int slot(ReportKind kind) { return kind == ReportKind::kThreadDump ? 0 : 1; }

// Where a periodic or exit report goes: file= (with %t for a series of thread dumps), else the default name
// in dir= or the working directory.
std::string report_pattern(ReportKind kind, const Options& options, bool json) {
    std::string default_name = kind == ReportKind::kMemory ? default_memory_name(json) : default_thread_dump_name(json);
    return choose_pattern(options.file, options.directory, default_name);
}

}  // namespace

ReportSchedule::~ReportSchedule() {
    for (auto& loop : loops_) stop(loop);
}

void ReportSchedule::stop(std::unique_ptr<Loop>& loop) {
    if (!loop) return;
    {
        std::lock_guard<std::mutex> lock(loop->mutex);
        loop->stopping = true;
    }
    loop->wake.notify_all();
    if (loop->thread.joinable()) loop->thread.join();
    loop.reset();
}

Status ReportSchedule::start_loop(ReportKind kind, const Options& options) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (shut_down_) return Status::error("the JVM is shutting down");
    std::unique_ptr<Loop>& loop = loops_[slot(kind)];
    if (loop) return Status::error(std::string("periodic ") + report_name(kind) + " is already running");
    bool json = kind == ReportKind::kMemory || wants_json(options);
    if (Status writable = check_output_pattern(report_pattern(kind, options, json)); !writable.is_ok()) {
        return writable;
    }
    loop = std::make_unique<Loop>();
    loop->options = options;
    loop->files = FileRotation(options.keep);
    Loop* raw = loop.get();
    loop->thread = std::thread([this, kind, raw] { run_loop(kind, raw); });
    return Status::ok();
}

Status ReportSchedule::stop_loop(ReportKind kind) {
    std::unique_ptr<Loop> loop;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        loop = std::move(loops_[slot(kind)]);
    }
    if (!loop) return Status::error(std::string("no periodic ") + report_name(kind) + " is running");
    stop(loop);
    return Status::ok();
}

Status ReportSchedule::set_at_exit(ReportKind kind, const Options& options) {
    if (Status writable = check_output_pattern(report_pattern(kind, options, wants_json(options))); !writable.is_ok()) {
        return writable;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    at_exit_[slot(kind)] = options;
    return Status::ok();
}

void ReportSchedule::run_loop(ReportKind kind, Loop* loop) {
    JNIEnv* jni = nullptr;
    std::string name = std::string("hotframe periodic ") + report_name(kind);
    JavaVMAttachArgs attach{JNI_VERSION_1_6, const_cast<char*>(name.c_str()), nullptr};
    if (vm_->AttachCurrentThreadAsDaemon(reinterpret_cast<void**>(&jni), &attach) != JNI_OK) return;
    auto interval = std::chrono::nanoseconds(loop->options.loop_ns);
    auto next = std::chrono::steady_clock::now() + interval;
    std::unique_lock<std::mutex> lock(loop->mutex);
    while (!loop->wake.wait_until(lock, next, [loop] { return loop->stopping; })) {
        next += interval;
        lock.unlock();
        write_once(jni, kind, loop);
        lock.lock();
    }
    lock.unlock();
    vm_->DetachCurrentThread();
}

void ReportSchedule::write_once(JNIEnv* jni, ReportKind kind, Loop* loop) {
    const Options& options = loop->options;
    bool json = kind == ReportKind::kMemory || wants_json(options);
    Report report;
    Status written = make_report(jvmti_, jni, kind, json, &report);
    std::string path;
    if (written.is_ok()) {
        path = next_output_path(report_pattern(kind, options, json), std::time(nullptr));
        written =
            kind == ReportKind::kMemory ? append_line(path, report.text) : write_file_atomically(path, report.text);
    }
    std::lock_guard<std::mutex> lock(loop->mutex);
    if (!written.is_ok()) {
        loop->last_error = written.message();
        log().error("periodic {}: {}", report_name(kind), written.message());
        return;
    }
    loop->written++;
    // A memory series is one file that grows; thread dumps are a file each, trimmed by keep=.
    if (kind == ReportKind::kThreadDump) loop->files.add(path);
}

void ReportSchedule::on_vm_death(JNIEnv* jni) {
    std::unique_ptr<Loop> loops[2];
    {
        std::lock_guard<std::mutex> lock(mutex_);
        shut_down_ = true;
        loops[0] = std::move(loops_[0]);
        loops[1] = std::move(loops_[1]);
    }
    for (auto& loop : loops) stop(loop);
    std::lock_guard<std::mutex> lock(mutex_);
    for (ReportKind kind : {ReportKind::kThreadDump, ReportKind::kMemory}) {
        const std::optional<Options>& options = at_exit_[slot(kind)];
        if (!options) continue;
        bool json = wants_json(*options);
        Report report;
        Status written = make_report(jvmti_, jni, kind, json, &report);
        std::string path = next_output_path(report_pattern(kind, *options, json), std::time(nullptr));
        if (written.is_ok()) written = write_file_atomically(path, report.text);
        if (written.is_ok()) {
            log().info("{} at exit: wrote {} ({})", report_name(kind), path, report.summary);
        } else {
            log().error("{} at exit not written: {}", report_name(kind), written.message());
        }
    }
}

std::string ReportSchedule::status() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string out;
    for (ReportKind kind : {ReportKind::kThreadDump, ReportKind::kMemory}) {
        Loop* loop = loops_[slot(kind)].get();
        if (loop != nullptr) {
            std::lock_guard<std::mutex> loop_lock(loop->mutex);
            out += std::string("periodic ") + report_name(kind) + ": every " +
                   std::to_string(loop->options.loop_ns / 1'000'000'000) + " s, " + std::to_string(loop->written) +
                   " written" + (loop->last_error.empty() ? "" : ", last error: " + loop->last_error) + "\n";
        }
        if (at_exit_[slot(kind)]) out += std::string(report_name(kind)) + " at exit: yes\n";
    }
    return out;
}

}  // namespace hotframe
