// Finds the pthread key under which HotSpot stores each thread's Thread* (its ThreadLocalStorage), which the
// signal handler uses to tell whether a thread is safe to ask for its JNIEnv (see StackCaptureContext).
#pragma once

#include <jni.h>

namespace hotframe {

// Must run on a thread attached to the JVM; `jni` is that thread's JNIEnv. The JNIEnv lives inside HotSpot's
// JavaThread object, so the key whose value points just below it is HotSpot's. Returns -1 if none matches.
int find_hotspot_thread_key(JNIEnv* jni);

}  // namespace hotframe
