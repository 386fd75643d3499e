// The JVMTI entry points: Agent_OnLoad (-agentpath at JVM start), Agent_OnAttach (jcmd JVMTI.agent_load into
// a running JVM) and Agent_OnUnload. They parse options, create the single Agent, and hand over.
#include <jni.h>
#include <jvmti.h>

#include <cstdio>
#include <mutex>
#include <string>

#include "agent/agent.h"
#include "agent/commands.h"
#include "agent/jvm_events.h"
#include "agent/log.h"
#include "agent/options.h"
#include "agent/profile_files.h"
#include "native/output/output_file.h"
#include "native/output/output_paths.h"

namespace hotframe {

namespace {

Agent* g_agent = nullptr;
std::mutex g_init_mutex;

// Before logging is configured, and for errors that must reach the user whatever log= says.
void report_error(const std::string& message) { std::fprintf(stderr, "[hotframe] error: %s\n", message.c_str()); }

// Creates the agent once per process; later attaches reuse it.
Status ensure_agent(JavaVM* vm, bool live_phase) {
    std::lock_guard<std::mutex> lock(g_init_mutex);
    if (g_agent != nullptr) return Status::ok();
    jvmtiEnv* jvmti = nullptr;
    if (vm->GetEnv(reinterpret_cast<void**>(&jvmti), JVMTI_VERSION_1_2) != JNI_OK || jvmti == nullptr) {
        return Status::error("this JVM offers no JVMTI 1.2 environment");
    }
    auto* agent = new Agent();
    agent->vm = vm;
    agent->jvmti = jvmti;
    agent->profiler = std::make_unique<Profiler>(vm, jvmti, &agent->compiled_methods, &agent->generated_code);
    agent->thread_sampling = std::make_unique<ThreadSamplingWindow>(vm, jvmti);
    agent->report_schedule = std::make_unique<ReportSchedule>(vm, jvmti);
    agent->diagnosis = std::make_unique<DiagnosisSession>(vm, jvmti, agent->profiler.get());
    // Published before events are enabled: the callbacks look the agent up.
    g_agent = agent;
    Status enabled = enable_jvm_events(jvmti, live_phase);
    if (!enabled.is_ok()) return enabled;
    if (live_phase) prepare_loaded_classes(jvmti);
    return Status::ok();
}

// Parses and runs one command that arrived through Agent_OnAttach.
CommandResult attach_command(JavaVM* vm, const std::string& text) {
    ParsedOptions parsed = parse_options(text);
    if (!parsed.ok()) return {Status::error(parsed.error), ""};
    const Options& options = parsed.options;
    if (!options.log_level.empty() || !options.log_file.empty()) {
        Status logging = configure_logging(options.log_level.empty() ? "info" : options.log_level, options.log_file);
        if (!logging.is_ok()) return {logging, ""};
    }
    if (Status created = ensure_agent(vm, true); !created.is_ok()) return {created, ""};
    return run_command(*the_agent(), options);
}

}  // namespace

Agent* the_agent() { return g_agent; }

}  // namespace hotframe

using hotframe::Options;
using hotframe::Status;

extern "C" JNIEXPORT jint JNICALL Agent_OnLoad(JavaVM* vm, char* option_text, void*) {
    hotframe::ParsedOptions parsed = hotframe::parse_options(option_text != nullptr ? option_text : "");
    if (!parsed.ok()) {
        hotframe::report_error(parsed.error);
        return JNI_ERR;
    }
    const Options& options = parsed.options;
    if (options.action != hotframe::Action::kStart && options.action != hotframe::Action::kNone &&
        options.action != hotframe::Action::kDiagnose) {
        hotframe::report_error(std::string("'") + hotframe::action_name(options.action) +
                               "' cannot be used at JVM start-up; use 'start' or 'diagnose' (or nothing, and attach "
                               "later)");
        return JNI_ERR;
    }
    std::string level = options.log_level.empty() ? "info" : options.log_level;
    if (Status logging = hotframe::configure_logging(level, options.log_file); !logging.is_ok()) {
        hotframe::report_error(logging.message());
        return JNI_ERR;
    }
    // At start-up the output named now is the one written at exit, the default name in the working directory
    // included: checked now, so that the run is not profiled for nothing.
    hotframe::OutputFormat format = hotframe::format_for(options, options);
    bool writes_at_exit = options.action == hotframe::Action::kStart || options.action == hotframe::Action::kDiagnose;
    Status writable = writes_at_exit
                          ? hotframe::check_output_pattern(hotframe::profile_pattern(options, options, format))
                          : hotframe::check_profile_output(options);
    if (!writable.is_ok()) {
        hotframe::report_error(writable.message());
        return JNI_ERR;
    }
    if (Status created = hotframe::ensure_agent(vm, false); !created.is_ok()) {
        hotframe::report_error(created.message());
        return JNI_ERR;
    }
    hotframe::the_agent()->startup_options = options;
    return JNI_OK;
}

extern "C" JNIEXPORT jint JNICALL Agent_OnAttach(JavaVM* vm, char* option_text, void*) {
    std::string text = option_text != nullptr ? option_text : "";
    hotframe::CommandResult result = hotframe::attach_command(vm, text);
    if (result.status.is_ok()) {
        // The first line says what happened; a thread dump or a status report goes to the caller, not the log.
        std::string text = result.text.substr(0, result.text.find('\n'));
        hotframe::log().info("{}", text);
    } else {
        hotframe::log().error("{}", result.status.message());
    }
    // jcmd shows its caller only a return code: the answer itself goes where the caller said it would read it.
    std::string reply_file = hotframe::find_reply_file(text);
    if (!reply_file.empty()) {
        std::string reply = result.status.is_ok() ? "ok\n" + result.text : "error: " + result.status.message() + "\n";
        if (Status written = hotframe::write_file_atomically(reply_file, reply); !written.is_ok()) {
            hotframe::log().error("cannot write the reply: {}", written.message());
        }
    }
    return result.status.is_ok() ? JNI_OK : JNI_ERR;
}

extern "C" JNIEXPORT void JNICALL Agent_OnUnload(JavaVM*) {
    // The JVM calls this at the very end; profiling was stopped and written at VMDeath. The agent object is
    // deliberately not destroyed: a late thread event must not find it gone.
}
