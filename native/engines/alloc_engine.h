// Allocation profiling (event=alloc, alloc=SIZE): HotSpot's heap sampling (JVMTI SampledObjectAlloc with
// SetHeapSamplingInterval) takes an object about every `interval` allocated bytes; each becomes a sample whose
// leaf is the object's class and whose weight estimates the bytes it stands for.
#pragma once

#include "native/engines/jvmti_engine.h"

namespace hotframe {

class AllocEngine : public JvmtiEngine {
public:
    AllocEngine(jvmtiEnv* jvmti, ClassNames* class_names);

    // Before start(): bytes between samples, on average.
    void set_interval(uint64_t interval_bytes) { interval_.store(interval_bytes); }
    // While running: a new average interval, for samples from now on (the diagnosis bounds its samples per second
    // with it). Each sample is weighted by the interval that scheduled it: the one in force at its thread's
    // previous sample.
    Status change_interval(uint64_t interval_bytes);
    uint64_t interval() const { return interval_.load(); }
    // Samples recorded since the agent loaded, for the rate that change_interval() adapts to.
    uint64_t samples_taken() const { return samples_taken_.load(std::memory_order_relaxed); }

    const char* event_name() const override { return "alloc"; }
    std::string description() const override;

    // JVMTI SampledObjectAlloc, on the allocating thread.
    void on_sampled_alloc(JNIEnv* jni, jclass object_class, jlong size);

private:
    Status prepare(JNIEnv* jni) override;
    std::string refused_capabilities(jvmtiError error) const override;

    std::atomic<uint64_t> interval_{0};
    std::atomic<uint64_t> samples_taken_{0};
};

// The bytes a sampled object of `size` stands for when one is taken per `interval` bytes on average. HotSpot
// picks the object that crosses a randomly (exponentially) placed point, so an object of size s is taken with
// probability 1 - exp(-s/interval): small objects stand for about `interval` bytes, large ones for about
// themselves. Dividing by that probability makes the estimate unbiased.
uint64_t estimated_allocation_bytes(uint64_t size, uint64_t interval);

// A sampling interval that bounds the samples per second: `samples` were taken in `seconds` at `interval`, so
// the allocation rate was about samples * interval / seconds bytes a second, and the interval that gives
// `per_second` samples at that rate is rate / per_second. Kept within [min_interval, max_interval]; no samples
// (no allocation, or too few bytes for one sample) halves the interval towards min_interval, so that a thread
// that starts allocating late is still seen.
uint64_t rate_bounded_interval(uint64_t interval, uint64_t samples, double seconds, double per_second,
                               uint64_t min_interval, uint64_t max_interval);

}  // namespace hotframe
