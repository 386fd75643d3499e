// Learns the Java names of threads by kernel thread id, which JVMTI does not report: at ThreadStart (on the
// thread itself, where gettid() is the answer) and, for threads that were already running when profiling
// started, by matching each java.lang.Thread to a kernel thread.
#pragma once

#include <jni.h>
#include <jvmti.h>
#include <sys/types.h>

#include <string>
#include <vector>

#include "native/aggregate/thread_names.h"

namespace hotframe {

// The Java name of `thread`, or empty if JVMTI cannot say.
std::string java_thread_name(jvmtiEnv* jvmti, JNIEnv* jni, jthread thread);

// The kernel thread id of each of `threads` (-1 where no match was found). HotSpot gives a started Java
// thread its name, cut to 15 bytes, as the kernel's thread name; where several threads share that prefix
// (http-nio-8080-exec-1, -2, ...) the CPU time JVMTI reports for the Java thread is matched to each candidate
// kernel thread's CPU clock, which read within microseconds of each other agree to the nanosecond for idle
// threads and closely for busy ones.
std::vector<pid_t> kernel_ids_of(jvmtiEnv* jvmti, JNIEnv* jni, const jthread* threads, jint count);

// java.lang.Thread.State's name for JVMTI GetThreadState's flags ("RUNNABLE", "BLOCKED", "TIMED_WAITING", ...).
const char* thread_state_name(jint flags);

// Names every running Java thread in `names`, by kernel thread id.
void name_running_threads(jvmtiEnv* jvmti, JNIEnv* jni, ThreadNames& names);

}  // namespace hotframe
