// The JVM's own list of its threads, names and kernel thread ids, as `jcmd <pid> Thread.print` shows them:
// the only place that names the threads JVMTI hides (JIT compiler, service and monitor-deflation threads) and
// the JVM's native threads (GC, VM thread) the way HotSpot does, where the kernel keeps 15 bytes of each name.
// Runs Java code through JNI: call it from a thread attached to the JVM, never from a signal handler, and not
// while holding a lock that a JVMTI callback may want (the Java code it runs can post events on this thread).
#pragma once

#include <jni.h>

#include <vector>

#include "native/aggregate/thread_print.h"

namespace hotframe {

// Every thread Thread.print lists, or nothing if the JVM cannot run it (no management support, an exception).
// Costs what a jstack costs: a safepoint that prints every thread's stack, about 1 ms for 40 threads and
// 7-19 ms for 520 (JDK 17 and 25); the first call of a process also reads libjvm's symbol table (90-120 ms on
// two busy cores), which naming native frames needs anyway. Callers decide how often.
std::vector<ListedThread> list_jvm_threads(JNIEnv* jni);

}  // namespace hotframe
