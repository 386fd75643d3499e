// Learns the Java names of threads by kernel thread id, which JVMTI does not report: at ThreadStart (on the
// thread itself, where gettid() is the answer) and, for threads that were already running when profiling
// started, by matching each java.lang.Thread to a kernel thread.
#pragma once

#include <jni.h>
#include <jvmti.h>

#include <string>

#include "native/aggregate/thread_names.h"

namespace hotframe {

// The Java name of `thread`, or empty if JVMTI cannot say.
std::string java_thread_name(jvmtiEnv* jvmti, JNIEnv* jni, jthread thread);

// Names every running Java thread. HotSpot gives a started Java thread its name, cut to 15 bytes, as the
// kernel's thread name; where several threads share that prefix (http-nio-8080-exec-1, -2, ...) the CPU time
// JVMTI reports for the Java thread is matched to each candidate kernel thread's CPU clock, which read within
// microseconds of each other agree to the nanosecond for idle threads and closely for busy ones.
void name_running_threads(jvmtiEnv* jvmti, JNIEnv* jni, ThreadNames& names);

}  // namespace hotframe
