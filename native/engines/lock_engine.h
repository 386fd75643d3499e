// Lock profiling (event=lock, lock=DURATION): time threads spend waiting for locks held by others, as samples whose
// leaf is the lock's class and whose weight is the time waited in ns.
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

#include "native/engines/jvmti_engine.h"

namespace hotframe {

class LockEngine : public JvmtiEngine {
public:
    LockEngine(jvmtiEnv* jvmti, ClassNames* class_names);

    // Before start(): contended waits shorter than this are not recorded.
    void set_threshold(uint64_t threshold_ns) { threshold_ns_.store(threshold_ns); }

    const char* event_name() const override { return "lock"; }
    std::string description() const override;
    // Monitors are traced even when the park wrapper cannot be installed; this then says why parks are not.
    std::string warning() const override;

    // JVMTI MonitorContendedEnter / MonitorContendedEntered, on the waiting thread.
    void on_contended_enter();
    void on_contended_entered(JNIEnv* jni, jobject object);

    // The park wrapper's body (see lock_engine.cpp).
    void on_park(JNIEnv* jni, jobject unsafe, jboolean absolute, jlong time);

private:
    // Installs the park wrapper once per JVM (it needs the starting thread's `jni`).
    Status prepare(JNIEnv* jni) override;
    std::string refused_capabilities(jvmtiError error) const override;
    Status install_park_wrapper(JNIEnv* jni);

    std::atomic<uint64_t> threshold_ns_{0};

    bool park_wrapper_installed_ = false;
    std::string park_wrapper_error_;
    jfieldID park_blocker_field_ = nullptr;      // java.lang.Thread.parkBlocker
    jclass owned_synchronizer_class_ = nullptr;  // global reference to AbstractOwnableSynchronizer
    jclass latch_class_ = nullptr;  // CountDownLatch's Sync: an AQS too, but waiting on it is waiting for work
};

}  // namespace hotframe
