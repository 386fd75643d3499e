// Signal-safe. Captures the Java stack of the interrupted thread with HotSpot's AsyncGetCallTrace, under the
// fault guard, into a claimed ring record.
#pragma once

#include <jni.h>
#include <stdint.h>
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
    // How a sample finds its thread's JNIEnv (AsyncGetCallTrace needs it) and whether the thread is a Java
    // thread at all, without asking the JVM: JavaVM::GetEnv reads HotSpot's C++ thread_local (libjvm is
    // dlopen'ed, so through __tls_get_addr), and after any library with thread-locals is loaded or unloaded
    // (this agent is one) each thread's next such read updates its thread-local table, which can free and
    // reallocate: from a signal handler that interrupted malloc, free, or the same update, that corrupts the heap
    // or the table (what a Tomcat JVM's crash here looked like: Thread::current() read null in G1's allocation
    // path on a thread HotSpot had set up, 1.6 s after a session of ours ended; async-profiler's issue 1162
    // shows the same path reallocating). Instead: the pthread key under which HotSpot keeps each thread's Thread*
    // (pthread_getspecific only reads an array), the JNIEnv's offset in a JavaThread, and the JNI function table
    // every JavaThread's JNIEnv points to (HotSpot sets each to jni_functions(), the checked table under
    // -Xcheck:jni, chosen at start-up; JVMTI's SetJNIFunctionTable copies into it). A thread whose word at that
    // offset, read under the fault guard, is not the table is no JavaThread (a GC, VM or other internal thread,
    // whose object may end before that offset). See hotspot_thread_key.h; the key is -1 if it could not be found.
    int hotspot_thread_key;
    uintptr_t jni_env_offset;
    const void* jni_functions;
    AgctFunction agct;  // nullptr when the JVM does not export AsyncGetCallTrace
    unsigned max_frames;
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
