#include "native/engines/alloc_engine.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

namespace hotframe {

namespace {

jvmtiCapabilities sampled_alloc_capability() {
    jvmtiCapabilities wanted{};
    wanted.can_generate_sampled_object_alloc_events = 1;
    return wanted;
}

}  // namespace

uint64_t estimated_allocation_bytes(uint64_t size, uint64_t interval) {
    if (size == 0 || interval == 0) return size;
    double probability = -std::expm1(-static_cast<double>(size) / static_cast<double>(interval));
    if (probability <= 0) return interval;
    return static_cast<uint64_t>(std::llround(static_cast<double>(size) / probability));
}

uint64_t rate_bounded_interval(uint64_t interval, uint64_t samples, double seconds, double per_second,
                               uint64_t min_interval, uint64_t max_interval) {
    double wanted = static_cast<double>(interval) / 2;
    if (samples > 0 && seconds > 0 && per_second > 0) {
        wanted = static_cast<double>(samples) * static_cast<double>(interval) / seconds / per_second;
    }
    wanted = std::max(wanted, static_cast<double>(min_interval));
    wanted = std::min(wanted, static_cast<double>(max_interval));
    return static_cast<uint64_t>(wanted);
}

AllocEngine::AllocEngine(jvmtiEnv* jvmti, ClassNames* class_names)
    : JvmtiEngine(jvmti, class_names, sampled_alloc_capability(), {JVMTI_EVENT_SAMPLED_OBJECT_ALLOC}) {}

std::string AllocEngine::description() const { return "alloc (every " + std::to_string(interval_.load()) + " bytes)"; }

std::string AllocEngine::refused_capabilities(jvmtiError error) const {
    return "this JVM cannot sample allocations (JVMTI error " + std::to_string(error) +
           "; SampledObjectAlloc needs JDK 11 or later)";
}

Status AllocEngine::prepare(JNIEnv*) {
    if (jvmtiError error = jvmti_->SetHeapSamplingInterval(static_cast<jint>(interval_.load()));
        error != JVMTI_ERROR_NONE) {
        return Status::error("SetHeapSamplingInterval failed with JVMTI error " + std::to_string(error));
    }
    return Status::ok();
}

Status AllocEngine::change_interval(uint64_t interval_bytes) {
    if (interval_bytes == interval_.load()) return Status::ok();
    // JVMTI takes a jint: larger intervals than 2 GiB - 1 are not asked for.
    jint bytes = static_cast<jint>(std::min<uint64_t>(interval_bytes, INT32_MAX));
    if (jvmtiError error = jvmti_->SetHeapSamplingInterval(bytes); error != JVMTI_ERROR_NONE) {
        return Status::error("SetHeapSamplingInterval failed with JVMTI error " + std::to_string(error));
    }
    interval_.store(static_cast<uint64_t>(bytes));
    return Status::ok();
}

void AllocEngine::on_sampled_alloc(JNIEnv*, jclass object_class, jlong size) {
    if (!active() || size <= 0) return;
    samples_taken_.fetch_add(1, std::memory_order_relaxed);
    // HotSpot picks a thread's next sample point when it takes a sample, with the interval then in force, and
    // keeps it across SetHeapSamplingInterval: a sample stands for the interval of the thread's previous one.
    // The callback runs on the allocating thread, so that interval is the thread's own to remember.
    thread_local uint64_t scheduled_with = 0;
    uint64_t now = interval_.load();
    uint64_t interval = scheduled_with != 0 ? scheduled_with : now;
    scheduled_with = now;
    record(kEventAlloc, object_class, estimated_allocation_bytes(static_cast<uint64_t>(size), interval));
}

}  // namespace hotframe
