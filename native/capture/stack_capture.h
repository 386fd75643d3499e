// Signal-safe. Captures the Java stack of the interrupted thread with HotSpot's AsyncGetCallTrace, under the
// fault guard, into a claimed ring record.
#pragma once

#include <jni.h>
#include <sys/types.h>

#include "native/capture/native_stack.h"
#include "native/capture/sample_counters.h"
#include "native/capture/sample_record.h"
#include "native/capture/vm_layout.h"

namespace hotframe {

// HotSpot's ASGCT_CallTrace.
struct AgctCallTrace {
    JNIEnv* env;
    jint num_frames;
    AgctFrame* frames;
};

using AgctFunction = void (*)(AgctCallTrace* trace, jint depth, void* ucontext);

struct StackCaptureContext {
    JavaVM* vm;
    AgctFunction agct;  // nullptr when the JVM does not export AsyncGetCallTrace
    unsigned max_frames;
    // The pthread key under which HotSpot keeps each thread's Thread*, or -1 if it could not be found.
    // JavaVM::GetEnv reads HotSpot's C++ thread_local, and the first touch of a thread_local of a dlopen'ed
    // library (libjvm is one) allocates with malloc: on a thread that has not yet run any HotSpot code, a
    // signal landing inside malloc would deadlock. A non-null value under this key proves HotSpot has set up
    // the thread, so GetEnv is safe. pthread_getspecific itself only reads an array.
    int hotspot_thread_key;
    // Tests only: make every Nth guarded walk fault on purpose (0: never), to prove the fault guard keeps
    // the JVM alive. Set from the HOTFRAME_INJECT_FAULT_EVERY environment variable.
    uint32_t inject_fault_every;
    // Tests only, with inject_fault_every: the fault is HotSpot's SafeFetch32 called on an address that cannot
    // be read (HOTFRAME_INJECT_FAULT_KIND=safefetch), which the guard must resume as HotSpot would, without
    // ending the walk (fault_guard::add_resumable_fault). Null otherwise.
    int (*inject_safefetch)(int* address, int error_value);
    // cstack=fp|dwarf: native frames above the Java ones, and the whole native stack of samples without Java
    // frames (GC, JIT and VM threads), found with `unwind`.
    bool native_frames;
    UnwindMethod unwind;
    // cstack=vm: Java frames from HotSpot's structures (java_walk.h) instead of AsyncGetCallTrace; null otherwise.
    // Checked at start (see agent/vm_walk_check.cpp) before it is set.
    const VmLayout* vm_layout;
    // cstack=vm,vmcheck: also walk with AsyncGetCallTrace and count whether the Java frames agree (the record
    // keeps the vm walk's).
    bool vm_check;
    VmCheckCounters* check_counters;  // where vm_check counts
};

// Slots kept for native frames when they are on: the Java walk (vm or AsyncGetCallTrace) gets the rest.
constexpr unsigned kNativeFrameReserve = 64;

// Fills header->status, num_frames and truncated, with at most `depth` frames. `ucontext` is the signal's context.
void capture_java_stack(const StackCaptureContext& context, pid_t tid, void* ucontext, SampleHeader* header,
                        unsigned depth);

// capture_java_stack, then the native frames (native_count, native_end) when context.native_frames asks, then
// the kernel frames (kernel_count) that the perf event `perf_fd` recorded, if it has a ring (-1: none).
void capture_stack(const StackCaptureContext& context, pid_t tid, void* ucontext, int perf_fd, SampleHeader* header);

}  // namespace hotframe
