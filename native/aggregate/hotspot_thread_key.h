// Finds the pthread key under which HotSpot stores each thread's Thread* (its ThreadLocalStorage), and where a
// JavaThread keeps its JNIEnv, so that the signal handler can find a thread's JNIEnv without asking the JVM (see
// StackCaptureContext).
#pragma once

#include <jni.h>

#include <cstdint>

namespace hotframe {

struct HotspotThreadKey {
    int key = -1;                     // -1: not found
    uintptr_t env_offset = 0;         // the JNIEnv's address less the Thread*'s, in every JavaThread
    const void* functions = nullptr;  // what every JavaThread's JNIEnv points to: the JVM's JNI function table
};

// Must run on a thread attached to the JVM; `jni` is that thread's JNIEnv. The JNIEnv lives inside HotSpot's
// JavaThread object, so the key whose value points just below it is HotSpot's, and the distance is the JNIEnv's
// offset in any JavaThread (the same class, whatever the thread).
HotspotThreadKey find_hotspot_thread_key(JNIEnv* jni);

}  // namespace hotframe
