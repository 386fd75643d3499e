// Lock profiling: time threads spend waiting for locks held by others, as samples whose leaf is the lock's
// class and whose weight is the time waited in ns.
//  - synchronized: JVMTI MonitorContendedEnter / MonitorContendedEntered on the waiting thread.
//  - java.util.concurrent locks (ReentrantLock, ReentrantReadWriteLock, Semaphore...), which park the waiting
//    thread: HotSpot's native Unsafe.park is replaced by a wrapper (JNI RegisterNatives) that times the park
//    when the thread's park blocker is such a lock (an AbstractOwnableSynchronizer other than a
//    CountDownLatch). Parks on conditions, latches, queues and futures are waits for work, not contention,
//    and are not recorded. The original function is
//    HotSpot's Unsafe_Park, found in libjvm.so's symbol table.
#pragma once

#include <jni.h>
#include <jvmti.h>

#include <atomic>
#include <cstdint>
#include <string>

#include "native/aggregate/class_names.h"
#include "native/result.h"

namespace hotframe {

class LockTracer {
public:
    LockTracer(jvmtiEnv* jvmti, ClassNames* class_names) : jvmti_(jvmti), class_names_(class_names) {}

    // `jni` is the calling thread's; it is needed once, to install the park wrapper. Monitors are traced even
    // when the wrapper cannot be installed; `warning` then says why parks are not.
    Status start(JNIEnv* jni, uint64_t threshold_ns, std::string* warning);
    void stop();

    // JVMTI MonitorContendedEnter / MonitorContendedEntered, on the waiting thread.
    void on_contended_enter();
    void on_contended_entered(JNIEnv* jni, jobject object);

    // The park wrapper's body (see lock_tracer.cpp).
    void on_park(JNIEnv* jni, jobject unsafe, jboolean absolute, jlong time);

private:
    Status install_park_wrapper(JNIEnv* jni);
    void record_wait(jclass lock_class, uint64_t waited_ns);

    jvmtiEnv* jvmti_;
    ClassNames* class_names_;
    std::atomic<bool> active_{false};
    std::atomic<uint64_t> threshold_ns_{0};

    bool park_wrapper_installed_ = false;
    std::string park_wrapper_error_;
    jfieldID park_blocker_field_ = nullptr;      // java.lang.Thread.parkBlocker
    jclass owned_synchronizer_class_ = nullptr;  // global reference to AbstractOwnableSynchronizer
    jclass latch_class_ = nullptr;  // CountDownLatch's Sync: an AQS too, but waiting on it is waiting for work
};

}  // namespace hotframe
