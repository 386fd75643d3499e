#include "agent/jvmti_samples.h"

#include <unistd.h>

#include "native/capture/signal_handler.h"

namespace hotframe {

uint32_t intern_class(jvmtiEnv* jvmti, ClassNames& names, jclass klass) {
    char* signature = nullptr;
    if (klass == nullptr || jvmti->GetClassSignature(klass, &signature, nullptr) != JVMTI_ERROR_NONE) return 0;
    uint32_t id = names.intern(java_type_name(signature));
    jvmti->Deallocate(reinterpret_cast<unsigned char*>(signature));
    return id;
}

void record_current_thread_sample(jvmtiEnv* jvmti, EventSlot event, uint32_t leaf_class, uint64_t weight) {
    sampler::ProducerScope scope;
    auto tid = static_cast<pid_t>(gettid());
    SampleHeader* header = scope.claim(tid);
    if (header == nullptr) return;
    header->tid = tid;
    header->event = event;
    header->thread_state = kRunStateUnknown;
    header->leaf_class = leaf_class;
    header->weight = weight;
    header->truncated = 0;
    unsigned max_frames = sampler::max_frames();
    // jvmtiFrameInfo and AgctFrame have the same size (a pointer and a 64-bit word, or an int padded to one),
    // so JVMTI writes straight into the record and each frame is then rewritten in place.
    static_assert(sizeof(jvmtiFrameInfo) == sizeof(AgctFrame), "frame layouts must have the same size");
    AgctFrame* frames = record_frames(header);
    auto* jvmti_frames = reinterpret_cast<jvmtiFrameInfo*>(frames);
    jint count = 0;
    if (jvmti->GetStackTrace(nullptr, 0, static_cast<jint>(max_frames), jvmti_frames, &count) != JVMTI_ERROR_NONE) {
        count = 0;
    }
    for (jint i = 0; i < count; i++) {
        jvmtiFrameInfo frame = jvmti_frames[i];
        // JVMTI marks a native method's frame with location -1; AsyncGetCallTrace, whose format the record
        // keeps, with bci -3.
        frames[i].bci = frame.location < 0 ? -3 : static_cast<jint>(frame.location);
        frames[i].method = frame.method;
    }
    header->num_frames = count;
    header->status = count > 0 ? kStatusOk : kStatusNoJavaFrame;
    header->truncated = static_cast<unsigned>(count) >= max_frames ? 1 : 0;
    scope.commit();
}

}  // namespace hotframe
