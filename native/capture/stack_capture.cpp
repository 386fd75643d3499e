// Signal-safe: called from the SIGPROF handler.
#include "native/capture/stack_capture.h"

#include <pthread.h>
#include <setjmp.h>

#include <atomic>

#include "native/capture/fault_guard.h"
#include "native/capture/native_stack.h"

namespace hotframe {

namespace {

std::atomic<uint32_t> g_walks{0};

// The walk itself, kept apart so that nothing the compiler keeps in registers across sigsetjmp is changed
// between the setjmp and a longjmp (the classic setjmp clobbering rule): all results go through `header`.
void guarded_walk(const StackCaptureContext& context, JNIEnv* env, pid_t tid, void* ucontext, SampleHeader* header) {
    sigjmp_buf recovery;
    // Signal mask is not saved: saving it costs a system call on every sample. after_recovery() unblocks the
    // fault signals that the jump leaves blocked.
    if (sigsetjmp(recovery, 0) != 0) {
        fault_guard::after_recovery();
        fault_guard::leave(tid);
        header->status = kStatusFault;
        header->num_frames = 0;
        return;
    }
    if (!fault_guard::enter(tid, &recovery)) {
        // No guard slot: walking unguarded could crash the JVM, so the sample is reported as a fault instead.
        header->status = kStatusFault;
        return;
    }
    if (context.inject_fault_every != 0 &&
        g_walks.fetch_add(1, std::memory_order_relaxed) % context.inject_fault_every == 0) {
        // Test hook (see StackCaptureContext): a fault exactly where AsyncGetCallTrace's would happen.
        *static_cast<volatile int*>(nullptr) = 1;
    }
    AgctCallTrace trace{env, 0, record_frames(header)};
    context.agct(&trace, static_cast<jint>(context.max_frames), ucontext);
    fault_guard::leave(tid);
    if (trace.num_frames > 0) {
        header->status = kStatusOk;
        header->num_frames = trace.num_frames;
        header->truncated = static_cast<unsigned>(trace.num_frames) >= context.max_frames ? 1 : 0;
    } else {
        header->status = trace.num_frames;
    }
}

// The native stack instead, when there are no Java frames; same guard and the same rule for the jump.
void guarded_native_walk(const StackCaptureContext& context, pid_t tid, void* ucontext, SampleHeader* header) {
    sigjmp_buf recovery;
    if (sigsetjmp(recovery, 0) != 0) {
        fault_guard::after_recovery();
        fault_guard::leave(tid);
        header->num_frames = 0;
        header->native_frames = 0;
        return;
    }
    if (!fault_guard::enter(tid, &recovery)) return;
    // The pcs go into the record's frames, one per AgctFrame, so that the record layout stays one.
    AgctFrame* frames = record_frames(header);
    uintptr_t* pcs = reinterpret_cast<uintptr_t*>(frames);
    static_assert(sizeof(AgctFrame) >= 2 * sizeof(uintptr_t), "two pcs fit in one frame slot");
    int count = walk_frame_pointers(ucontext, pcs, static_cast<int>(context.max_frames));
    fault_guard::leave(tid);
    // Spread out in place from the back, so that no pc is overwritten before it is moved.
    for (int i = count - 1; i >= 0; i--) {
        uintptr_t pc = pcs[i];
        frames[i].bci = 0;
        frames[i].method = reinterpret_cast<jmethodID>(pc);
    }
    header->num_frames = count;
    header->native_frames = count > 0 ? 1 : 0;
}

bool without_java_frames(int32_t status) {
    return status == kStatusNonJavaThread || status == kStatusUnknownNotJava || status == kStatusNotWalkableNotJava ||
           status == kStatusNoJavaFrame;
}

}  // namespace

void capture_stack(const StackCaptureContext& context, pid_t tid, void* ucontext, SampleHeader* header) {
    header->native_frames = 0;
    capture_java_stack(context, tid, ucontext, header);
    if (context.native_frames && without_java_frames(header->status))
        guarded_native_walk(context, tid, ucontext, header);
}

void capture_java_stack(const StackCaptureContext& context, pid_t tid, void* ucontext, SampleHeader* header) {
    header->num_frames = 0;
    header->truncated = 0;
    // GetEnv only reads the current thread's JNIEnv from thread-local storage; AsyncGetCallTrace needs it.
    // Threads the JVM never attached (GC workers, compiler threads' native part) have none.
    if (context.hotspot_thread_key < 0 ||
        pthread_getspecific(static_cast<pthread_key_t>(context.hotspot_thread_key)) == nullptr) {
        header->status = kStatusNonJavaThread;
        return;
    }
    JNIEnv* env = nullptr;
    if (context.vm == nullptr || context.vm->GetEnv(reinterpret_cast<void**>(&env), JNI_VERSION_1_6) != JNI_OK ||
        env == nullptr) {
        header->status = kStatusNonJavaThread;
        return;
    }
    if (context.agct == nullptr) {
        header->status = kStatusNoAgct;
        return;
    }
    guarded_walk(context, env, tid, ucontext, header);
}

}  // namespace hotframe
