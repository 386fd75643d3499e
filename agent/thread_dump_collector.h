// Collects a ThreadDump from the running JVM through JVMTI and JNI: every Java thread's identity, state,
// stack with line numbers, the monitors held at each frame, the monitor or parking blocker it waits for and
// the thread that holds it. Runs on a thread attached to the JVM (the attach listener or VMDeath).
#pragma once

#include <jni.h>
#include <jvmti.h>

#include "native/output/thread_dump.h"
#include "native/result.h"

namespace hotframe {

Status collect_thread_dump(jvmtiEnv* jvmti, JNIEnv* jni, ThreadDump* dump);

}  // namespace hotframe
