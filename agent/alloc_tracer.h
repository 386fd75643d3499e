// Allocation profiling: HotSpot's heap sampling (JVMTI SampledObjectAlloc with SetHeapSamplingInterval) takes
// an object about every `interval` allocated bytes; each becomes a sample whose leaf is the object's class and
// whose weight estimates the bytes it stands for.
#pragma once

#include <jni.h>
#include <jvmti.h>

#include <atomic>
#include <cstdint>

#include "native/aggregate/class_names.h"
#include "native/result.h"

namespace hotframe {

class AllocTracer {
public:
    AllocTracer(jvmtiEnv* jvmti, ClassNames* class_names) : jvmti_(jvmti), class_names_(class_names) {}

    Status start(uint64_t interval_bytes);
    void stop();

    // JVMTI SampledObjectAlloc, on the allocating thread.
    void on_sampled_alloc(JNIEnv* jni, jclass object_class, jlong size);

private:
    jvmtiEnv* jvmti_;
    ClassNames* class_names_;
    std::atomic<bool> active_{false};
    std::atomic<uint64_t> interval_{0};
};

// The bytes a sampled object of `size` stands for when one is taken per `interval` bytes on average. HotSpot
// picks the object that crosses a randomly (exponentially) placed point, so an object of size s is taken with
// probability 1 - exp(-s/interval): small objects stand for about `interval` bytes, large ones for about
// themselves. Dividing by that probability makes the estimate unbiased.
uint64_t estimated_allocation_bytes(uint64_t size, uint64_t interval);

}  // namespace hotframe
