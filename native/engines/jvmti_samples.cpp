#include "native/engines/jvmti_samples.h"

#include <unistd.h>

#include <atomic>
#include <vector>

#include "native/capture/signal_handler.h"

namespace hotframe {

namespace {

// The weight of samples this thread could not record because its ring was full, per event. It goes onto the
// thread's next recorded sample of the event, so that totals (bytes allocated, time waited) stay right when
// the aggregator falls behind; the drops are counted as well.
thread_local uint64_t t_unrecorded_weight[kEventSlotCount] = {};
thread_local uint32_t t_unrecorded_session = 0;  // the session that weight belongs to

// The stack is walked here first and only then copied into a ring record: the walk can wait at a safepoint (a
// GC pause) or while the thread is suspended, and a claimed record would hold up the ring and the session's
// stop for that long.
thread_local std::vector<jvmtiFrameInfo> t_frames;

std::atomic<uint32_t> g_session{1};

}  // namespace

void enable_class_tags(jvmtiEnv* jvmti) {
    jvmtiCapabilities tags{};
    tags.can_tag_objects = 1;
    // Without it intern_class still works, only more slowly.
    jvmti->AddCapabilities(&tags);
}

uint32_t intern_class(jvmtiEnv* jvmti, ClassNames& names, jclass klass) {
    if (klass == nullptr) return 0;
    // A class named once carries its id as a JVMTI tag: a hash lookup instead of a signature, a conversion and
    // a lock on every sample. Tags belong to our JVMTI environment alone and go away with the class.
    jlong tag = 0;
    if (jvmti->GetTag(klass, &tag) == JVMTI_ERROR_NONE && tag > 0) return static_cast<uint32_t>(tag);
    char* signature = nullptr;
    if (jvmti->GetClassSignature(klass, &signature, nullptr) != JVMTI_ERROR_NONE) return 0;
    uint32_t id = names.intern(java_type_name(signature));
    jvmti->Deallocate(reinterpret_cast<unsigned char*>(signature));
    jvmti->SetTag(klass, static_cast<jlong>(id));
    return id;
}

void start_jvmti_sample_session() { g_session.fetch_add(1); }

void record_current_thread_sample(jvmtiEnv* jvmti, EventSlot event, uint32_t leaf_class, uint64_t weight) {
    unsigned max_frames = capture::max_frames();
    if (t_frames.size() < max_frames) t_frames.resize(max_frames);
    jint count = 0;
    if (jvmti->GetStackTrace(nullptr, 0, static_cast<jint>(max_frames), t_frames.data(), &count) != JVMTI_ERROR_NONE) {
        count = 0;
    }
    uint32_t session = g_session.load(std::memory_order_relaxed);
    if (t_unrecorded_session != session) {
        t_unrecorded_session = session;
        for (uint64_t& carried : t_unrecorded_weight) carried = 0;
    }
    capture::ProducerScope scope;
    if (!scope.accepting()) return;
    auto tid = static_cast<pid_t>(gettid());
    SampleHeader* header = scope.claim(tid);
    if (header == nullptr) {
        t_unrecorded_weight[event] += weight;
        return;
    }
    header->tid = tid;
    header->event = event;
    header->thread_state = kRunStateUnknown;
    header->native_count = 0;
    header->kernel_count = 0;
    header->native_end = 0;
    header->leaf_class = leaf_class;
    header->weight = weight + t_unrecorded_weight[event];
    t_unrecorded_weight[event] = 0;
    header->truncated = 0;
    AgctFrame* frames = record_frames(header);
    for (jint i = 0; i < count; i++) {
        const jvmtiFrameInfo& frame = t_frames[static_cast<size_t>(i)];
        // JVMTI marks a native method's frame with location -1; AsyncGetCallTrace, whose format the record
        // keeps, with bci -3.
        frames[i].bci = frame.location < 0 ? -3 : static_cast<jint>(frame.location);
        frames[i].type = kFrameUnknown;
        frames[i].method = frame.method;
    }
    header->num_frames = count;
    header->status = count > 0 ? kStatusOk : kStatusNoJavaFrame;
    header->truncated = static_cast<unsigned>(count) >= max_frames ? 1 : 0;
    scope.commit();
}

}  // namespace hotframe
