// Signal-safe. Captures the Java stack of the interrupted thread with HotSpot's AsyncGetCallTrace, under the
// fault guard, into a claimed ring record.
#pragma once

#include <jni.h>
#include <sys/types.h>

#include "native/capture/sample_record.h"

namespace hotframe {

// HotSpot's ASGCT_CallTrace.
struct AgctCallTrace {
    JNIEnv* env;
    jint num_frames;
    AgctFrame* frames;
};

using AgctFunction = void (*)(AgctCallTrace* trace, jint depth, void* ucontext);

struct StackCaptureContext {
    JavaVM* vm;
    AgctFunction agct;  // nullptr when the JVM does not export AsyncGetCallTrace
    unsigned max_frames;
};

// Fills header->status, num_frames and truncated. `ucontext` is the signal's context.
void capture_java_stack(const StackCaptureContext& context, pid_t tid, void* ucontext, SampleHeader* header);

}  // namespace hotframe
