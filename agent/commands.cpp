#include "agent/commands.h"

#include <unistd.h>

#include <ctime>
#include <vector>

#include "agent/memory_collector.h"
#include "agent/thread_dump_collector.h"
#include "native/output/memory_report.h"
#include "native/output/output_file.h"
#include "native/output/thread_dump.h"

namespace hotframe {

namespace {

JNIEnv* current_jni(Agent& agent) {
    JNIEnv* jni = nullptr;
    if (agent.vm->GetEnv(reinterpret_cast<void**>(&jni), JNI_VERSION_1_6) != JNI_OK) jni = nullptr;
    return jni;
}

bool wants_json(const Options& options) {
    return options.json || (options.file.size() > 5 && options.file.substr(options.file.size() - 5) == ".json");
}

// A report goes to file= if given, else back to the caller.
CommandResult deliver(const Options& options, const std::string& text, const std::string& summary) {
    if (options.file.empty()) return {Status::ok(), text};
    std::string path = expand_file_pattern(options.file, getpid(), std::time(nullptr));
    Status written = write_file_atomically(path, text);
    return {written, written.is_ok() ? "wrote " + path + " (" + summary + ")\n" : ""};
}

CommandResult thread_dump_command(Agent& agent, const Options& options) {
    ThreadDump dump;
    Status collected = collect_thread_dump(agent.jvmti, current_jni(agent), &dump);
    if (!collected.is_ok()) return {collected, ""};
    std::vector<Deadlock> deadlocks = find_deadlocks(dump);
    std::string text =
        wants_json(options) ? render_thread_dump_json(dump, deadlocks) : render_thread_dump_text(dump, deadlocks);
    return deliver(
        options, text,
        std::to_string(dump.threads.size()) + " threads, " + std::to_string(deadlocks.size()) + " deadlocks");
}

CommandResult memory_command(Agent& agent, const Options& options) {
    MemoryReport report;
    if (Status collected = collect_memory_report(current_jni(agent), &report); !collected.is_ok()) {
        return {collected, ""};
    }
    std::string text = wants_json(options) ? render_memory_json(report) : render_memory_text(report);
    return deliver(options, text, std::to_string(report.pools.size()) + " memory pools");
}

}  // namespace

CommandResult run_command(Agent& agent, const Options& options) {
    std::string path;
    switch (options.action) {
        case Action::kStart: {
            Status started = agent.profiler->start(options);
            return {started, started.is_ok() ? "profiling started\n" : ""};
        }
        case Action::kStop: {
            Status stopped = agent.profiler->stop(options, &path);
            return {stopped, stopped.is_ok() ? "profiling stopped\nwrote " + path + "\n" : ""};
        }
        case Action::kDump: {
            Status dumped = agent.profiler->dump(options, &path);
            return {dumped, dumped.is_ok() ? "wrote " + path + "\n" : ""};
        }
        case Action::kStatus:
            return {Status::ok(), agent.profiler->status() + agent.thread_sampler->status()};
        case Action::kThreadDump:
            return thread_dump_command(agent, options);
        case Action::kMemory:
            return memory_command(agent, options);
        case Action::kSample: {
            Options sampling = options;
            if (sampling.file.empty()) sampling.file = "hotframe-sample-%p-%t.txt";
            Status started = agent.thread_sampler->start(sampling);
            return {started, started.is_ok() ? "thread sampling started for " +
                                                   std::to_string(sampling.duration_ns / 1'000'000) + " ms\n"
                                             : ""};
        }
        case Action::kNone:
            break;
    }
    return {Status::error("no action given: expected start, stop, dump, status, threaddump, memory or sample first"),
            ""};
}

}  // namespace hotframe
