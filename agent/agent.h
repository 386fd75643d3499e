// The single Agent object: what the JVMTI entry points and event callbacks share. It only owns and wires;
// the work is done by the Profiler and by native/.
#pragma once

#include <jni.h>
#include <jvmti.h>

#include <memory>

#include "agent/diagnosis_session.h"
#include "agent/options.h"
#include "agent/profiler.h"
#include "agent/report_schedule.h"
#include "agent/thread_sampling_window.h"
#include "native/aggregate/compiled_methods.h"
#include "native/aggregate/generated_code.h"

namespace hotframe {

struct Agent {
    JavaVM* vm = nullptr;
    jvmtiEnv* jvmti = nullptr;
    CompiledMethods compiled_methods;
    GeneratedCode generated_code;
    std::unique_ptr<Profiler> profiler;
    std::unique_ptr<ThreadSamplingWindow> thread_sampling;
    std::unique_ptr<ReportSchedule> report_schedule;
    std::unique_ptr<DiagnosisSession> diagnosis;
    Options startup_options;  // from -agentpath, acted on at VMInit
};

// The agent, or nullptr before the library was initialised by Agent_OnLoad or Agent_OnAttach.
Agent* the_agent();

}  // namespace hotframe
