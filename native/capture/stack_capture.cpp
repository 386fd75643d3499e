// Signal-safe: called from the SIGPROF handler.
#include "native/capture/stack_capture.h"

#include <pthread.h>
#include <setjmp.h>

#include <atomic>

#include "native/capture/fault_guard.h"
#include "native/capture/java_walk.h"
#include "native/capture/kernel_stack.h"
#include "native/capture/library_code.h"
#include "native/capture/native_stack.h"

namespace hotframe {

namespace {

std::atomic<uint32_t> g_walks{0};

// Test hook (see StackCaptureContext): every Nth guarded walk faults on purpose, where the walk would.
void maybe_inject_fault(const StackCaptureContext& context) {
    if (context.inject_fault_every == 0 ||
        g_walks.fetch_add(1, std::memory_order_relaxed) % context.inject_fault_every != 0) {
        return;
    }
    if (context.inject_safefetch != nullptr) {
        context.inject_safefetch(nullptr, 0);  // faults, and comes back with 0 if the guard resumes it
        return;
    }
    *static_cast<volatile int*>(nullptr) = 1;
}

// Whether the interrupted thread is a JavaThread (see StackCaptureContext): the word at the JNIEnv's offset in
// `thread` must be the JVM's JNI function table. Read under the fault guard, since a smaller Thread object may end
// just before an unmapped page; kGuardBusy when the thread is inside a guard already (a signal that landed in
// another walk of this thread), which is counted as the walk's fault, as the walks themselves do.
enum class JavaThreadCheck { kJava, kNotJava, kGuardBusy };

JavaThreadCheck check_java_thread(const StackCaptureContext& context, uintptr_t thread, pid_t tid) {
    uintptr_t env = thread + context.jni_env_offset;
    if (env < thread || context.jni_functions == nullptr) return JavaThreadCheck::kNotJava;
    sigjmp_buf recovery;
    if (sigsetjmp(recovery, 0) != 0) {
        fault_guard::after_recovery();
        fault_guard::leave(tid);
        return JavaThreadCheck::kNotJava;
    }
    if (!fault_guard::enter(tid, &recovery)) return JavaThreadCheck::kGuardBusy;
    // Only read on the path where no jump happened: needs no volatile.
    const void* functions = *reinterpret_cast<const void* const*>(env);
    fault_guard::leave(tid);
    return functions == context.jni_functions ? JavaThreadCheck::kJava : JavaThreadCheck::kNotJava;
}

// The walk itself, kept apart so that nothing the compiler keeps in registers across sigsetjmp is changed
// between the setjmp and a longjmp (the classic setjmp clobbering rule): all results go through `header`.
void guarded_walk(const StackCaptureContext& context, JNIEnv* env, pid_t tid, void* ucontext, unsigned depth,
                  SampleHeader* header) {
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
    maybe_inject_fault(context);  // where AsyncGetCallTrace's would happen
    AgctCallTrace trace{env, 0, record_frames(header)};
    context.agct(&trace, static_cast<jint>(depth), ucontext);
    fault_guard::leave(tid);
    if (trace.num_frames > 0) {
        header->status = kStatusOk;
        header->num_frames = trace.num_frames;
        header->truncated = static_cast<unsigned>(trace.num_frames) >= depth ? kTruncated : 0;
        // AsyncGetCallTrace does not say how a frame ran; the aggregator infers it.
        for (jint i = 0; i < trace.num_frames; i++) record_frames(header)[i].type = kFrameUnknown;
    } else {
        header->status = trace.num_frames;
    }
}

// Where the vm walk starts for a thread running Java: the interrupted registers, or, when Java code called a
// library without leaving the Java state (a leaf runtime call), the caller in generated code that the native
// walk reaches.
JavaWalkStart java_walk_start(const StackCaptureContext& context, uintptr_t thread, void* ucontext) {
    JavaWalkStart start{};
    start.registers = interrupted_registers(ucontext);
    start.agct_top_pc_rule = context.vm_check;
    start.method_register = interrupted_method_register(ucontext);
    start.in_generated_code = library_code::find(start.registers.pc) == nullptr;
    if (!start.in_generated_code && thread_in_java(*context.vm_layout, thread)) {
        uintptr_t pcs[kNativeFrameReserve];
        NativeWalk walk = walk_native_stack(ucontext, context.unwind, true, pcs, kNativeFrameReserve, &start.registers);
        start.in_generated_code = walk.end == kWalkReachedJava;
        start.at_return_address = start.in_generated_code;
        if (start.at_return_address) start.method_register = 0;  // the library's, not the frame's
    }
    return start;
}

// cstack=vm,vmcheck: where a vm walk faulted, for the log (in the recovery branch, before the guard is left).
void count_vm_walk_fault(VmCheckCounters& counters, pid_t tid, void* ucontext) {
    uintptr_t pc = 0, address = 0;
    fault_guard::recovered_fault(tid, &pc, &address);
    counters.fault_pc.store(pc, std::memory_order_relaxed);
    counters.fault_address.store(address, std::memory_order_relaxed);
    counters.fault_start_pc.store(interrupted_pc(ucontext), std::memory_order_relaxed);
    counters.vm_faults.fetch_add(1, std::memory_order_relaxed);
}

// The Java frames from HotSpot's structures (cstack=vm), under the fault guard; the same rule for the jump.
// The walk's own account (where it started and stopped) goes to `walk_out` for vmcheck's log of this sample.
void guarded_vm_walk(const StackCaptureContext& context, uintptr_t thread, pid_t tid, void* ucontext, AgctFrame* frames,
                     unsigned depth, SampleHeader* header, JavaWalk* walk_out) {
    sigjmp_buf recovery;
    if (sigsetjmp(recovery, 0) != 0) {
        fault_guard::after_recovery();
        if (context.vm_check) count_vm_walk_fault(*context.check_counters, tid, ucontext);
        fault_guard::leave(tid);
        header->status = kStatusVmWalkFault;
        header->num_frames = 0;
        return;
    }
    if (!fault_guard::enter(tid, &recovery)) {
        header->status = kStatusVmWalkFault;
        return;
    }
    maybe_inject_fault(context);
    JavaWalkStart start = java_walk_start(context, thread, ucontext);
    JavaWalk walk = walk_java_stack(*context.vm_layout, thread, start, frames, static_cast<int>(depth));
    fault_guard::leave(tid);
    header->status = walk.status;
    header->num_frames = walk.count;
    header->truncated = walk.truncated;
    *walk_out = walk;
    header->walk_code_kind = static_cast<uint8_t>(walk.code_kind);
    if (context.vm_check && walk.stop != JavaWalkStop::kNone) {
        auto kind = static_cast<unsigned>(walk.stop) % VmCheckCounters::kStopKinds;
        context.check_counters->stops[kind].fetch_add(1, std::memory_order_relaxed);
        context.check_counters->stop_pcs[kind] = walk.stop_pc;
    }
}

// One sample's walk into `into`, replacing all of what an earlier sample left there.
void remember_walk(const SampleHeader& header, const AgctFrame* frames, VmCheckCounters::Walk& into) {
    into = VmCheckCounters::Walk{};
    into.status = header.status;
    into.count = header.num_frames;
    into.truncated = header.truncated;
    for (int i = 0; i < VmCheckCounters::kShown && i < header.num_frames; i++) {
        into.bcis[i] = frames[i].bci;
        into.types[i] = frames[i].type;
        into.methods[i] = frames[i].method;
    }
}

// cstack=vm,vmcheck: the vm walk is in the record (`walk` its account); AsyncGetCallTrace walks the same moment
// into a buffer on the stack.
void check_vm_walk(const StackCaptureContext& context, JNIEnv* env, pid_t tid, void* ucontext,
                   const SampleHeader* header, const JavaWalk& walk) {
    constexpr unsigned kCompared = 256;
    alignas(SampleHeader) unsigned char storage[sizeof(SampleHeader) + kCompared * sizeof(AgctFrame)];
    auto* agct_header = reinterpret_cast<SampleHeader*>(storage);
    agct_header->num_frames = 0;
    agct_header->truncated = 0;
    StackCaptureContext agct_context = context;
    agct_context.inject_fault_every = 0;
    guarded_walk(agct_context, env, tid, ucontext, kCompared, agct_header);
    VmCheckCounters& counters = *context.check_counters;
    if (agct_header->status != kStatusOk) {
        if (header->status == kStatusOk) counters.vm_only.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    counters.compared.fetch_add(1, std::memory_order_relaxed);
    const AgctFrame* agct = record_frames(agct_header);
    const AgctFrame* vm = record_frames(header);
    if (header->status != kStatusOk) {
        counters.vm_failed.fetch_add(1, std::memory_order_relaxed);
    } else {
        // The vm walker's [continuation_frozen_frames] marks the frames AsyncGetCallTrace skips without a word (a
        // virtual thread's outer frames frozen in the heap): not a difference, so it is stepped over here.
        auto frozen_mark = [](const AgctFrame& frame) {
            return frame.method == nullptr && frame.type == kFrameFrozenContinuation;
        };
        int vm_frames = 0;
        for (int j = 0; j < header->num_frames; j++) vm_frames += frozen_mark(vm[j]) ? 0 : 1;
        int compared = agct_header->num_frames;
        bool same_count =
            vm_frames == compared || (static_cast<unsigned>(compared) >= kCompared && vm_frames >= compared);
        bool same_methods = same_count, same_bcis = same_count;
        for (int i = 0, j = 0; same_methods && i < compared; i++, j++) {
            while (j < header->num_frames && frozen_mark(vm[j])) j++;
            same_methods = j < header->num_frames && agct[i].method == vm[j].method;
            same_bcis = same_bcis && same_methods && agct[i].bci == vm[j].bci;
        }
        if (same_methods) counters.same_methods.fetch_add(1, std::memory_order_relaxed);
        if (same_methods && same_bcis) counters.same_bcis.fetch_add(1, std::memory_order_relaxed);
        if (same_methods) return;
    }
    bool expected = false;
    if (counters.writing.compare_exchange_strong(expected, true, std::memory_order_acquire)) {
        remember_walk(*agct_header, agct, counters.agct);
        remember_walk(*header, vm, counters.vm);
        counters.vm.stop = static_cast<uint8_t>(walk.stop);
        counters.vm.stop_pc = walk.stop_pc;
        counters.vm.start_pc = walk.start_pc;
        counters.vm.anchored = walk.anchored;
        counters.writing.store(false, std::memory_order_release);
    }
}

// The native stack, into the slots after the Java frames; same guard and the same rule for the jump.
void guarded_native_walk(const StackCaptureContext& context, pid_t tid, void* ucontext, bool stop_at_generated_code,
                         int reserved_for_kernel, SampleHeader* header) {
    header->native_count = 0;
    header->native_end = kWalkBroken;
    auto java_frames = static_cast<unsigned>(header->num_frames);
    if (java_frames >= context.max_frames) return;
    sigjmp_buf recovery;
    if (sigsetjmp(recovery, 0) != 0) {
        fault_guard::after_recovery();
        fault_guard::leave(tid);
        header->native_count = 0;
        header->native_end = kWalkFault;
        return;
    }
    if (!fault_guard::enter(tid, &recovery)) return;
    // The pcs go into the record's frames, one per AgctFrame, so that the record layout stays one.
    AgctFrame* frames = record_frames(header) + java_frames;
    uintptr_t* pcs = reinterpret_cast<uintptr_t*>(frames);
    static_assert(sizeof(AgctFrame) >= 2 * sizeof(uintptr_t), "two pcs fit in one frame slot");
    int slots = static_cast<int>(context.max_frames - java_frames);
    if (slots > UINT16_MAX) slots = UINT16_MAX;
    if (reserved_for_kernel < slots) slots -= reserved_for_kernel;
    NativeWalk walk = walk_native_stack(ucontext, context.unwind, stop_at_generated_code, pcs, slots);
    fault_guard::leave(tid);
    if (walk.count == 0 && walk.end == kWalkReachedJava && header->status == kStatusOk &&
        header->walk_code_kind != static_cast<uint8_t>(CodeKind::kNone) && ucontext != nullptr) {
        // The vm walk stepped over the stub or adapter the thread was in to reach its Java caller: the stub's pc
        // is the one native frame above the Java ones, which the aggregator names from the JVM's own list of
        // generated code ("jint_disjoint_arraycopy", "vtable stub").
        pcs[0] = interrupted_pc(ucontext);
        walk = NativeWalk{1, kWalkReachedJava};
    } else if (walk.count == 0 && header->status != kStatusOk && ucontext != nullptr) {
        // A Java thread in the JVM's generated code whose Java frames could not be walked: the pc still says
        // which compiled method, stub or interpreter part it was in (see GeneratedCode).
        pcs[0] = interrupted_pc(ucontext);
        walk = NativeWalk{1, kWalkReachedJava};
    }
    // Spread out in place from the back, so that no pc is overwritten before it is moved.
    for (int i = walk.count - 1; i >= 0; i--) {
        uintptr_t pc = pcs[i];
        frames[i].bci = 0;
        frames[i].method = reinterpret_cast<jmethodID>(pc);
    }
    header->native_count = static_cast<uint16_t>(walk.count);
    header->native_end = walk.end;
}

// Threads that are not Java threads, or Java threads without any Java frame: their whole native stack is the
// sample. A Java thread that AsyncGetCallTrace could not walk (in the VM, at a safepoint) gets the native frames
// down to the JVM's generated code, like one with Java frames: beyond it a frame-pointer walk only breaks.
bool without_java_frames(int32_t status) { return status == kStatusNonJavaThread || status == kStatusNoJavaFrame; }

// The kernel frames recorded by the perf event whose overflow sent this signal, after the other frames.
void take_kernel_frames(const StackCaptureContext& context, int perf_fd, SampleHeader* header) {
    unsigned used = static_cast<unsigned>(header->num_frames) + header->native_count;
    if (used >= context.max_frames) {
        kernel_stack::discard(perf_fd);  // no room, but the ring must still be emptied for the next overflow
        return;
    }
    int room = static_cast<int>(context.max_frames - used);
    uintptr_t ips[kernel_stack::kMaxKernelFrames];
    int count = kernel_stack::take_kernel_frames(
        perf_fd, ips, room < kernel_stack::kMaxKernelFrames ? room : kernel_stack::kMaxKernelFrames);
    AgctFrame* frames = record_frames(header) + used;
    for (int i = 0; i < count; i++) {
        frames[i].bci = 0;
        frames[i].method = reinterpret_cast<jmethodID>(ips[i]);
    }
    header->kernel_count = static_cast<uint8_t>(count);
}

}  // namespace

void capture_stack(const StackCaptureContext& context, pid_t tid, void* ucontext, int perf_fd, SampleHeader* header) {
    header->kernel_count = 0;
    header->native_count = 0;
    header->native_end = kWalkReachedJava;  // nothing missing, until a walk says otherwise
    bool kernel = kernel_stack::has_ring(perf_fd);
    // Room for the native and kernel frames above the Java ones; Java stacks deeper than the rest are cut.
    unsigned reserve =
        (context.native_frames ? kNativeFrameReserve : 0) + (kernel ? kernel_stack::kMaxKernelFrames : 0);
    unsigned java_depth = context.max_frames > 2 * reserve ? context.max_frames - reserve : context.max_frames;
    capture_java_stack(context, tid, ucontext, header, java_depth);
    if (context.native_frames && header->status != kStatusFault && header->status != kStatusVmWalkFault &&
        header->status != kStatusNoAgct) {
        // A Java thread gets the native frames above its Java ones (JNI code, the JVM's runtime called from
        // Java, or, when AsyncGetCallTrace failed, what the thread was doing in the JVM); the others their
        // whole stack.
        guarded_native_walk(context, tid, ucontext, !without_java_frames(header->status),
                            kernel ? kernel_stack::kMaxKernelFrames : 0, header);
    }
    // Read even when the sample has no room for them: the ring must be emptied for the next overflow.
    if (kernel) take_kernel_frames(context, perf_fd, header);
}

void capture_java_stack(const StackCaptureContext& context, pid_t tid, void* ucontext, SampleHeader* header,
                        unsigned depth) {
    header->num_frames = 0;
    header->truncated = 0;
    header->walk_code_kind = 0;
    // Threads HotSpot never set up (native threads) have no Thread*; its own non-Java threads (GC workers, the VM
    // thread) have no JNIEnv. Neither is asked of the JVM (see StackCaptureContext).
    uintptr_t thread =
        context.hotspot_thread_key < 0
            ? 0
            : reinterpret_cast<uintptr_t>(pthread_getspecific(static_cast<pthread_key_t>(context.hotspot_thread_key)));
    JavaThreadCheck java = thread == 0 ? JavaThreadCheck::kNotJava : check_java_thread(context, thread, tid);
    if (java == JavaThreadCheck::kGuardBusy) {
        header->status = context.vm_layout != nullptr ? kStatusVmWalkFault : kStatusFault;
        return;
    }
    if (java == JavaThreadCheck::kNotJava) {
        header->status = kStatusNonJavaThread;
        return;
    }
    auto* env = reinterpret_cast<JNIEnv*>(thread + context.jni_env_offset);
    if (context.vm_layout != nullptr) {
        JavaWalk walk{0, kStatusVmWalkFault, 0, JavaWalkStop::kNone, CodeKind::kNone, 0, 0, false};
        guarded_vm_walk(context, thread, tid, ucontext, record_frames(header), depth, header, &walk);
        if (context.vm_check && context.agct != nullptr && context.check_counters != nullptr) {
            check_vm_walk(context, env, tid, ucontext, header, walk);
        }
        return;
    }
    if (context.agct == nullptr) {
        header->status = kStatusNoAgct;
        return;
    }
    guarded_walk(context, env, tid, ucontext, depth, header);
}

}  // namespace hotframe
