#include "agent/commands.h"

#include <ctime>
#include <vector>

#include "agent/reports.h"
#include "native/output/output_file.h"
#include "native/output/output_paths.h"

namespace hotframe {

namespace {

JNIEnv* current_jni(Agent& agent) {
    JNIEnv* jni = nullptr;
    if (agent.vm->GetEnv(reinterpret_cast<void**>(&jni), JNI_VERSION_1_6) != JNI_OK) jni = nullptr;
    return jni;
}

// A report goes to file= if given, else back to the caller.
CommandResult deliver(const Options& options, const std::string& text, const std::string& summary) {
    if (options.file.empty()) return {Status::ok(), text};
    std::string path = next_output_path(options.file, std::time(nullptr));
    Status written = write_file_atomically(path, text);
    return {written, written.is_ok() ? "wrote " + path + " (" + summary + ")\n" : ""};
}

CommandResult report_command(Agent& agent, ReportKind kind, const Options& options) {
    if (options.loop_off) {
        Status stopped = agent.report_schedule->stop_loop(kind);
        return {stopped, stopped.is_ok() ? std::string("periodic ") + report_name(kind) + " stopped\n" : ""};
    }
    if (options.loop_ns != 0) {
        Status started = agent.report_schedule->start_loop(kind, options);
        return {started, started.is_ok() ? std::string("periodic ") + report_name(kind) + " started\n" : ""};
    }
    if (options.at_exit) {
        Status registered = agent.report_schedule->set_at_exit(kind, options);
        return {registered, registered.is_ok() ? std::string(report_name(kind)) + " will be written at exit\n" : ""};
    }
    Report report;
    Status made = make_report(agent.jvmti, current_jni(agent), kind, wants_json(options), &report);
    if (!made.is_ok()) return {made, ""};
    return deliver(options, report.text, report.summary);
}

// One line per file written: a session with several events writes several.
std::string wrote_lines(const std::vector<std::string>& paths) {
    std::string text;
    for (const std::string& path : paths) text += "wrote " + path + "\n";
    return text;
}

}  // namespace

CommandResult run_command(Agent& agent, const Options& options) {
    std::vector<std::string> paths;
    bool session_command =
        options.action == Action::kStart || options.action == Action::kStop || options.action == Action::kDump;
    if (session_command && agent.diagnosis->running()) {
        return {Status::error("a diagnosis is running and owns the profiling session; wait for its page"), ""};
    }
    switch (options.action) {
        case Action::kStart: {
            Status started = agent.profiler->start(options);
            return {started, started.is_ok() ? "profiling started\n" : ""};
        }
        case Action::kStop: {
            std::string advice;
            Status stopped = agent.profiler->stop(options, &paths, &advice);
            return {stopped, stopped.is_ok() ? "profiling stopped\n" + wrote_lines(paths) +
                                                   (advice.empty() ? "" : "advice: " + advice + "\n")
                                             : ""};
        }
        case Action::kDump: {
            Status dumped = agent.profiler->dump(options, &paths);
            return {dumped, dumped.is_ok() ? wrote_lines(paths) : ""};
        }
        case Action::kStatus:
            return {Status::ok(), agent.profiler->status() + agent.thread_sampling->status() +
                                      agent.report_schedule->status() + agent.diagnosis->status()};
        case Action::kThreadDump:
            return report_command(agent, ReportKind::kThreadDump, options);
        case Action::kMemory:
            return report_command(agent, ReportKind::kMemory, options);
        case Action::kThreadSampling: {
            Options sampling = options;
            sampling.file = choose_pattern(sampling.file, sampling.directory, default_thread_sampling_name());
            Status started = agent.thread_sampling->start(sampling);
            return {started, started.is_ok() ? "thread sampling started for " +
                                                   std::to_string(sampling.duration_ns / 1'000'000) + " ms\n"
                                             : ""};
        }
        case Action::kDiagnose: {
            std::string page;
            Status started = agent.diagnosis->start(options, &page);
            return {started, started.is_ok()
                                 ? "diagnosis started for " + std::to_string(options.duration_ns / 1'000'000'000) +
                                       " s; the page will be " + page + "\n"
                                 : ""};
        }
        case Action::kNone:
            break;
    }
    return {Status::error(
                "no action given: expected start, stop, dump, status, threaddump, memory, sample or diagnose first"),
            ""};
}

}  // namespace hotframe
