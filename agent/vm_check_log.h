// The log lines a session's end writes about its Java stack walks: with vmcheck, how often the vm walker found
// the frames AsyncGetCallTrace found in the signal handler, where walks stopped short and the last disagreement;
// for allocation and lock samples, how their stacks were taken (vm walker or GetStackTrace) and, with vmcheck,
// how the two compared. Not signal-safe: JVMTI names the methods.
#pragma once

#include <jni.h>
#include <jvmti.h>

#include "native/aggregate/generated_code.h"
#include "native/capture/sample_counters.h"

namespace hotframe {

// Call when no handler runs (after stop_accepting_and_wait): the counters' last disagreement is read unguarded.
// Every JNI local reference it makes is freed before it returns. `code` names pcs; may be null.
void log_vm_check(jvmtiEnv* jvmti, JNIEnv* jni, const GeneratedCode* code, const VmCheckCounters& check);

// The allocation and lock samples' stacks of the session (jvmti_samples.h); `vm_check` adds the comparison.
void log_callback_walks(jvmtiEnv* jvmti, JNIEnv* jni, bool vm_check);

}  // namespace hotframe
