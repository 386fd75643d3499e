// Signal-safe: called from JVMTI callbacks, under the fault guard; it takes no lock and allocates nothing.
#include "native/capture/anchor_walk.h"

#include <pthread.h>
#include <setjmp.h>

#include "native/capture/fault_guard.h"
#include "native/capture/java_walk.h"
#include "native/capture/vm_memory.h"

namespace hotframe {

namespace {

// Kept apart from its caller so that nothing held in registers across sigsetjmp changes before a longjmp (the
// setjmp clobbering rule, as in stack_capture.cpp): the result goes out through `walk`. The fault handler runs
// with SIGPROF blocked, and no handler return restores the mask when a callback jumps back here:
// after_recovery_outside_handler() unblocks it (rather than a sigsetjmp that saves the mask, a system call on
// every allocation sample).
void guarded_anchor_walk(const VmLayout& layout, uintptr_t thread, pid_t tid, AgctFrame* frames, int max,
                         JavaWalk* walk, bool* faulted, bool* in_continuation) {
    sigjmp_buf recovery;
    if (sigsetjmp(recovery, 0) != 0) {
        fault_guard::after_recovery_outside_handler();
        fault_guard::leave(tid);
        *faulted = true;
        return;
    }
    if (!fault_guard::enter(tid, &recovery)) {
        *faulted = true;
        return;
    }
    // No registers: the thread is in the VM or in native code (a JVMTI callback, a JNI method), so the walker
    // starts from the anchor. Should the state word say "in Java" without an anchor, it refuses (kStartInLibrary).
    // A mounted virtual thread: JVMTI's GetStackTrace gives the virtual thread's own frames, the walker would go
    // on into the carrier's; the sample takes GetStackTrace's, so that one site has one stack.
    if (layout.thread_cont_entry >= 0 &&
        vm_memory::read_word(thread + static_cast<uint32_t>(layout.thread_cont_entry)) != 0) {
        *in_continuation = true;
    } else {
        *walk = walk_java_stack(layout, thread, JavaWalkStart{}, frames, max);
    }
    fault_guard::leave(tid);
}

}  // namespace

AnchorWalk walk_current_thread(const StackCaptureContext& context, pid_t tid, AgctFrame* frames, int max) {
    AnchorWalk result{AnchorWalkOutcome::kWalkerOff, 0, false};
    if (context.vm_layout == nullptr || !context.vm_layout->ready) return result;
    if (context.hotspot_thread_key < 0) return AnchorWalk{AnchorWalkOutcome::kNotJavaThread, 0, false};
    auto thread =
        reinterpret_cast<uintptr_t>(pthread_getspecific(static_cast<pthread_key_t>(context.hotspot_thread_key)));
    if (thread == 0) return AnchorWalk{AnchorWalkOutcome::kNotJavaThread, 0, false};
    JavaWalk walk{};
    bool faulted = false, in_continuation = false;
    guarded_anchor_walk(*context.vm_layout, thread, tid, frames, max, &walk, &faulted, &in_continuation);
    if (faulted) return AnchorWalk{AnchorWalkOutcome::kFault, 0, false};
    if (in_continuation) return AnchorWalk{AnchorWalkOutcome::kVirtualThread, 0, false};
    // A walk that stopped short would give the sample a shorter stack than GetStackTrace's: not the same meaning.
    if (walk.status != kStatusOk || walk.count <= 0 || walk.truncated == kJavaWalkBroken) {
        return AnchorWalk{AnchorWalkOutcome::kFailed, 0, false};
    }
    for (int i = 0; i < walk.count; i++) {
        if (frames[i].method == nullptr) return AnchorWalk{AnchorWalkOutcome::kMissingId, 0, false};
    }
    return AnchorWalk{AnchorWalkOutcome::kWalked, walk.count, walk.truncated == kTruncated};
}

}  // namespace hotframe
