// Signal-safe. The Java stack walker that reads HotSpot's own structures (cstack=vm), beside AsyncGetCallTrace:
// from the interrupted registers of a thread running Java, or from the thread's last-Java-frame anchor when it
// is in the VM, in native code or blocked, it walks interpreted frames (Method* and bcp from the frame's slots),
// compiled frames (the nmethod's debug info at the pc: inlined methods innermost first, each with its bci) and
// entry frames (on to the JavaCallWrapper's anchor), and writes jmethodIDs, bcis and frame types. Layouts come
// from VmLayout (vm_layout.h). Reads VM memory freely: call it under the fault guard. Every loop is bounded.
//
// At the boundaries (README, "The Java stack walker"):
// - A mounted virtual thread (JDK 21+): the walk goes on through the continuation into the carrier, so a sample
//   reads carrier frames (ForkJoinWorkerThread.run ... Continuation.run), Continuation.enterSpecial, then the
//   virtual thread's frames (Continuation.enter, VirtualThread.run, its own code). Where the thread's outer frames
//   are still frozen in the heap (a large stack is thawed only partly), the pseudo-frame
//   [continuation_frozen_frames] (kFrameFrozenContinuation) stands for them right above enterSpecial.
//   AsyncGetCallTrace (JDK 25) walks on into the carrier too, but joins the thawed frames to enterSpecial unmarked.
// - A JNI upcall (native code calling Java): the Java frames called back sit on an entry frame; the walk goes on
//   at the JavaCallWrapper's anchor, the native method's frame and its Java callers. The C frames between (the
//   JNI function, JavaCalls) are not in the sample, as with AsyncGetCallTrace.
//
// Why a record can never be misnamed: the walker stores jmethodIDs, never Method*. A Method* read from a frame
// is turned into its jmethodID here, through its class's jmethodID cache (InstanceKlass::_methods_jmethod_ids
// [idnum + 1]), and the jmethodID is kept only if the slot it points at still holds that very Method*. The
// Method* itself cannot be freed during the walk: its class is alive while one of its frames is on a stack (the
// interpreter frame's mirror slot and the nmethod's oops keep it), and a redefined method's old Method* stays
// while it runs. Once in the ring, the record names the method through the jmethodID, which HotSpot never hands
// to another method while it stands for this one (when the class unloads its slot is cleared, and HotSpot may
// later give the cleared slot to a method of the same class loader, which then names that method: the
// aggregator checks it through JVMTI). nmethods flushed or methods redefined after the sample do not matter: nothing of
// theirs is stored.
#pragma once

#include <stdint.h>

#include "native/capture/code_kinds.h"
#include "native/capture/native_stack.h"
#include "native/capture/sample_record.h"
#include "native/capture/vm_layout.h"

namespace hotframe {

// Where a walk stopped short: what kind of code the last frame it could not step over was in.
enum class JavaWalkStop : uint8_t {
    kNone,
    kNotCode,           // the pc is in no code blob, the interpreter or the call stub
    kInterpreterFrame,  // an interpreted frame with an fp outside the stack
    kNmethodScopes,     // no debug info at a return address into compiled code
    kNmethodSender,     // a compiled frame whose caller could not be found
    kStubSender,        // a stub or adapter whose caller could not be found
    kEntryFrame,        // an entry frame with no JavaCallWrapper
    kNotClimbing,       // a caller that is not above its callee on the stack
    kStartInLibrary,    // running Java state, but in a library the native walk could not leave
};

struct JavaWalk {
    int count;          // frames written
    int32_t status;     // SampleStatus: kStatusOk, or why there are no frames (AsyncGetCallTrace's codes)
    uint8_t truncated;  // 0, kTruncated or kJavaWalkBroken
    JavaWalkStop stop;  // why it stopped short, when it did
    // The kind of code the frame it could not step over was in; when the walk succeeded, the kind of stub or
    // adapter the interrupted pc was in (kNone when it was Java code), which the sample shows above the Java
    // frames.
    CodeKind code_kind;
    uintptr_t stop_pc;   // the pc of the frame it could not step over
    uintptr_t start_pc;  // where the walk started (for vmcheck's log)
    bool anchored;       // ... from the thread's anchor
};

// Where the walk starts, when the thread runs Java code: the interrupted registers, or the first generated-code
// frame the native walk reached from them. Ignored for threads in the VM, in native code or blocked.
struct JavaWalkStart {
    FrameRegisters registers;
    bool in_generated_code;  // registers.pc is outside every loaded library
    // Name the interrupted pc of compiled code by the PcDesc after it, as AsyncGetCallTrace does, rather than the
    // one at it (see scope_offset_at in nmethod_scopes.cpp): for cstack=vm,vmcheck, which compares the two walks.
    bool agct_top_pc_rule;
    // registers come from the native walk, up from a library that generated code called: registers.pc is a
    // return address (the frame made a call and is complete), not the interrupted instruction
    bool at_return_address;
    // The interrupted rbx (0 when the registers come from elsewhere): the Method* of an interpreter method entry
    // caught before it stored it in its frame.
    uintptr_t method_register;
};

// Walks the Java frames of `thread` (HotSpot's JavaThread*) into `frames`, at most `max`.
JavaWalk walk_java_stack(const VmLayout& layout, uintptr_t thread, const JavaWalkStart& start, AgctFrame* frames,
                         int max);

// The thread's state word is "running Java": the walk starts from the registers, not from the anchor.
bool thread_in_java(const VmLayout& layout, uintptr_t thread);

}  // namespace hotframe
