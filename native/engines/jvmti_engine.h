// Engines driven by the JVM's own events (JVMTI callbacks and hooked natives) rather than by signals: the
// sample is taken on the thread the event is about (native/engines/jvmti_samples.h) and written into the same
// rings as the signal samples. What they share: the capabilities asked for once, class tags for naming the
// leaf class, the events switched on at start and off at disarm, and an `active` flag that callbacks check,
// because a callback may still be running, or be entered late, after its event was switched off.
// A JVMTI engine lives as long as the agent (the JVM keeps our callbacks and hooks), and each session
// configures it before start().
#pragma once

#include <jni.h>
#include <jvmti.h>

#include <atomic>
#include <initializer_list>
#include <vector>

#include "native/aggregate/class_names.h"
#include "native/capture/sample_record.h"
#include "native/engines/engine.h"

namespace hotframe {

class JvmtiEngine : public Engine {
public:
    Status start(JNIEnv* jni) final;
    void disarm() final;
    // Nothing to release: the callbacks check active() and the events are off.
    void stop() override {}

protected:
    JvmtiEngine(jvmtiEnv* jvmti, ClassNames* class_names, jvmtiCapabilities capabilities,
                std::initializer_list<jvmtiEvent> events)
        : jvmti_(jvmti), class_names_(class_names), capabilities_(capabilities), events_(events) {}

    // After the capabilities were granted, before the events are switched on: what the engine must set up.
    virtual Status prepare(JNIEnv* jni) = 0;
    // The message when the JVM refuses the capabilities ("this JVM cannot ...").
    virtual std::string refused_capabilities(jvmtiError error) const = 0;

    bool active() const { return active_.load(std::memory_order_relaxed); }
    // Records a sample of `event` for the current thread: its Java stack, the class as the leaf, the weight.
    void record(EventSlot event, jclass leaf_class, uint64_t weight);

    jvmtiEnv* const jvmti_;

private:
    ClassNames* const class_names_;
    const jvmtiCapabilities capabilities_;
    const std::vector<jvmtiEvent> events_;
    std::atomic<bool> active_{false};
};

}  // namespace hotframe
