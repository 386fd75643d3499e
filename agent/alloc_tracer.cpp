#include "agent/alloc_tracer.h"

#include <cmath>
#include <string>

#include "agent/jvmti_samples.h"

namespace hotframe {

uint64_t estimated_allocation_bytes(uint64_t size, uint64_t interval) {
    if (size == 0 || interval == 0) return size;
    double probability = -std::expm1(-static_cast<double>(size) / static_cast<double>(interval));
    if (probability <= 0) return interval;
    return static_cast<uint64_t>(std::llround(static_cast<double>(size) / probability));
}

Status AllocTracer::start(uint64_t interval_bytes) {
    jvmtiCapabilities wanted{};
    wanted.can_generate_sampled_object_alloc_events = 1;
    if (jvmtiError error = jvmti_->AddCapabilities(&wanted); error != JVMTI_ERROR_NONE) {
        return Status::error("this JVM cannot sample allocations (JVMTI error " + std::to_string(error) +
                             "; SampledObjectAlloc needs JDK 11 or later)");
    }
    enable_class_tags(jvmti_);
    if (jvmtiError error = jvmti_->SetHeapSamplingInterval(static_cast<jint>(interval_bytes));
        error != JVMTI_ERROR_NONE) {
        return Status::error("SetHeapSamplingInterval failed with JVMTI error " + std::to_string(error));
    }
    interval_.store(interval_bytes);
    active_.store(true);
    if (jvmtiError error = jvmti_->SetEventNotificationMode(JVMTI_ENABLE, JVMTI_EVENT_SAMPLED_OBJECT_ALLOC, nullptr);
        error != JVMTI_ERROR_NONE) {
        active_.store(false);
        return Status::error("enabling SampledObjectAlloc failed with JVMTI error " + std::to_string(error));
    }
    return Status::ok();
}

void AllocTracer::stop() {
    if (!active_.exchange(false)) return;
    jvmti_->SetEventNotificationMode(JVMTI_DISABLE, JVMTI_EVENT_SAMPLED_OBJECT_ALLOC, nullptr);
}

void AllocTracer::on_sampled_alloc(JNIEnv*, jclass object_class, jlong size) {
    if (!active_.load(std::memory_order_relaxed) || size <= 0) return;
    uint64_t weight = estimated_allocation_bytes(static_cast<uint64_t>(size), interval_.load());
    record_current_thread_sample(jvmti_, kEventAlloc, intern_class(jvmti_, *class_names_, object_class), weight);
}

}  // namespace hotframe
