#include "native/engines/jvmti_samples.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <vector>

#include "native/capture/anchor_walk.h"
#include "native/capture/signal_handler.h"

namespace hotframe {

namespace {

// The weight of samples this thread could not record because its ring was full, per event. It goes onto the
// thread's next recorded sample of the event, so that totals (bytes allocated, time waited) stay right when
// the aggregator falls behind; the drops are counted as well.
thread_local uint64_t t_unrecorded_weight[kEventSlotCount] = {};
thread_local uint32_t t_unrecorded_session = 0;  // the session that weight belongs to

// The stack is walked here first and only then copied into a ring record: GetStackTrace can wait at a safepoint
// (a GC pause) or while the thread is suspended, and a claimed record would hold up the ring and the session's
// stop for that long. The vm walker's frames go here as well, so that vmcheck can compare the two.
thread_local std::vector<jvmtiFrameInfo> t_jvmti_frames;
thread_local std::vector<AgctFrame> t_vm_frames;

std::atomic<uint32_t> g_session{1};

struct Counts {
    std::atomic<uint64_t> vm_walked{0}, by_jvmti{0}, walk_failed{0}, compared{0}, same_methods{0}, same_bcis{0};
};
Counts g_counts;
std::mutex g_difference_mutex;  // guards g_difference, written at most once per disagreeing sample
CallbackWalkCounts g_difference;

constexpr int kNotAccepting = -2;  // the session is not taking samples: nothing to record
constexpr int kAskJvmti = -1;      // GetStackTrace must walk

// The walk from the thread's anchor, while the session accepts samples (so that its layout is not rewritten
// under the walk): the number of frames in t_vm_frames, kAskJvmti or kNotAccepting.
int walk_with_vm_walker(unsigned max_frames, pid_t tid, bool* vm_check, bool* truncated) {
    capture::ProducerScope scope;
    if (!scope.accepting()) return kNotAccepting;
    const StackCaptureContext& context = scope.capture_context();
    *vm_check = context.vm_check;
    AnchorWalk walk = walk_current_thread(context, tid, t_vm_frames.data(), static_cast<int>(max_frames));
    if (walk.outcome == AnchorWalkOutcome::kWalked) {
        *truncated = walk.truncated;
        return walk.count;
    }
    // A virtual thread's sample goes to JVMTI by design, not because the walk failed.
    if (walk.outcome != AnchorWalkOutcome::kWalkerOff && walk.outcome != AnchorWalkOutcome::kVirtualThread) {
        g_counts.walk_failed.fetch_add(1, std::memory_order_relaxed);
    }
    return kAskJvmti;
}

int agct_bci(const jvmtiFrameInfo& frame) {
    // JVMTI marks a native method's frame with location -1; AsyncGetCallTrace, whose format the record keeps,
    // with bci -3.
    return frame.location < 0 ? -3 : static_cast<int>(frame.location);
}

// vmcheck: the vm walk against GetStackTrace's frames of the same stack, which cannot have changed in between:
// the thread is this one, and it ran no Java code between the two walks.
void compare_walks(int vm_count, jint jvmti_count) {
    if (vm_count <= 0 || jvmti_count <= 0) return;
    g_counts.compared.fetch_add(1, std::memory_order_relaxed);
    int common = vm_count < jvmti_count ? vm_count : jvmti_count;
    int method_differs = -1, bci_differs = -1;
    for (int i = 0; i < common && method_differs < 0; i++) {
        const AgctFrame& vm = t_vm_frames[static_cast<size_t>(i)];
        const jvmtiFrameInfo& jvmti = t_jvmti_frames[static_cast<size_t>(i)];
        if (vm.method != jvmti.method) method_differs = i;
        if (bci_differs < 0 && vm.bci != agct_bci(jvmti)) bci_differs = i;
    }
    if (method_differs < 0 && vm_count != jvmti_count) method_differs = common;
    if (method_differs < 0) g_counts.same_methods.fetch_add(1, std::memory_order_relaxed);
    if (method_differs < 0 && bci_differs < 0) {
        g_counts.same_bcis.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    int at = method_differs >= 0 ? method_differs : bci_differs;
    std::lock_guard<std::mutex> lock(g_difference_mutex);
    g_difference.differing_frame = at;
    g_difference.vm_count = vm_count;
    g_difference.jvmti_count = jvmti_count;
    bool in_vm = at < vm_count, in_jvmti = at < jvmti_count;
    g_difference.vm_method = in_vm ? t_vm_frames[static_cast<size_t>(at)].method : nullptr;
    g_difference.vm_bci = in_vm ? t_vm_frames[static_cast<size_t>(at)].bci : 0;
    g_difference.jvmti_method = in_jvmti ? t_jvmti_frames[static_cast<size_t>(at)].method : nullptr;
    g_difference.jvmti_bci = in_jvmti ? agct_bci(t_jvmti_frames[static_cast<size_t>(at)]) : 0;
}

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

void start_jvmti_sample_session() {
    g_session.fetch_add(1);
    for (auto* count : {&g_counts.vm_walked, &g_counts.by_jvmti, &g_counts.walk_failed, &g_counts.compared,
                        &g_counts.same_methods, &g_counts.same_bcis}) {
        count->store(0, std::memory_order_relaxed);
    }
    std::lock_guard<std::mutex> lock(g_difference_mutex);
    g_difference = CallbackWalkCounts{};
}

CallbackWalkCounts callback_walk_counts() {
    CallbackWalkCounts counts;
    {
        std::lock_guard<std::mutex> lock(g_difference_mutex);
        counts = g_difference;
    }
    counts.vm_walked = g_counts.vm_walked.load();
    counts.by_jvmti = g_counts.by_jvmti.load();
    counts.walk_failed = g_counts.walk_failed.load();
    counts.compared = g_counts.compared.load();
    counts.same_methods = g_counts.same_methods.load();
    counts.same_bcis = g_counts.same_bcis.load();
    return counts;
}

void record_current_thread_sample(jvmtiEnv* jvmti, EventSlot event, uint32_t leaf_class, uint64_t weight) {
    unsigned max_frames = capture::max_frames();
    if (t_vm_frames.size() < max_frames) t_vm_frames.resize(max_frames);
    auto tid = static_cast<pid_t>(gettid());
    bool vm_check = false, vm_truncated = false;
    int vm_count = walk_with_vm_walker(max_frames, tid, &vm_check, &vm_truncated);
    if (vm_count == kNotAccepting) return;
    jint jvmti_count = 0;
    if (vm_count < 0 || vm_check) {
        if (t_jvmti_frames.size() < max_frames) t_jvmti_frames.resize(max_frames);
        if (jvmti->GetStackTrace(nullptr, 0, static_cast<jint>(max_frames), t_jvmti_frames.data(), &jvmti_count) !=
            JVMTI_ERROR_NONE) {
            jvmti_count = 0;
        }
        if (vm_check) compare_walks(vm_count, jvmti_count);
    }
    uint32_t session = g_session.load(std::memory_order_relaxed);
    if (t_unrecorded_session != session) {
        t_unrecorded_session = session;
        for (uint64_t& carried : t_unrecorded_weight) carried = 0;
    }
    capture::ProducerScope scope;
    if (!scope.accepting()) return;
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
    header->walk_code_kind = 0;  // the claimed room may hold an earlier cpu record's stub kind
    header->leaf_class = leaf_class;
    header->weight = weight + t_unrecorded_weight[event];
    t_unrecorded_weight[event] = 0;
    AgctFrame* frames = record_frames(header);
    // The record holds the frames of the session that owns the ring now: a new session with a smaller limit may
    // have started since max_frames was read above.
    const int capacity = static_cast<int>(std::min(max_frames, capture::max_frames()));
    int count = 0;
    if (vm_count >= 0) {
        // The walker's frames keep how each ran (interpreted, C1, C2, inlined), as in the cpu samples.
        count = std::min(vm_count, capacity);
        for (int i = 0; i < count; i++) frames[i] = t_vm_frames[static_cast<size_t>(i)];
        header->truncated = vm_truncated || count < vm_count ? kTruncated : 0;
        g_counts.vm_walked.fetch_add(1, std::memory_order_relaxed);
    } else {
        count = std::min(static_cast<int>(jvmti_count), capacity);
        for (jint i = 0; i < count; i++) {
            const jvmtiFrameInfo& frame = t_jvmti_frames[static_cast<size_t>(i)];
            frames[i].bci = agct_bci(frame);
            frames[i].type = kFrameUnknown;
            frames[i].method = frame.method;
        }
        header->truncated = count >= capacity ? kTruncated : 0;
        g_counts.by_jvmti.fetch_add(1, std::memory_order_relaxed);
    }
    header->num_frames = count;
    header->status = count > 0 ? kStatusOk : kStatusNoJavaFrame;
    scope.commit();
}

}  // namespace hotframe
