// Signal-safe: called from the SIGPROF handler, under the fault guard.
#include "native/capture/java_walk.h"

#include <jni.h>

#include "native/capture/code_cache.h"
#include "native/capture/frame_senders.h"
#include "native/capture/java_frames.h"
#include "native/capture/nmethod_scopes.h"
#include "native/capture/stub_senders.h"
#include "native/capture/vm_memory.h"

namespace hotframe {

using code_cache::blob_code_kind;
using code_cache::code_begin;
using code_cache::find_blob;
using code_cache::frame_complete_offset;
using code_cache::frame_size_words;
using code_cache::in_interpreter;
using vm_memory::aligned;
using vm_memory::kWord;
using vm_memory::read;
using vm_memory::read_word;

namespace {

// Bounds that keep a corrupt structure from sending a loop on for ever.
constexpr int kMaxSteps = 4096;        // physical frames per walk
constexpr int kMaxEntryFrames = 64;    // Java segments joined through entry frames
constexpr int kMaxContinuations = 16;  // nested continuation entries looked through

// --- frames ---

uintptr_t interpreter_slot(const Frame& frame, int32_t slot) {
    return read_word(frame.fp + static_cast<intptr_t>(slot) * static_cast<intptr_t>(kWord));
}

// Whether interpreter frame slot `slot` lies below sp in the frame at the top: not pushed yet (see
// add_interpreted_frame_at), so what it holds is another frame's.
bool unwritten_at_top(const Frame& frame, int32_t slot, bool top) {
    return top && frame.fp + static_cast<intptr_t>(slot) * static_cast<intptr_t>(kWord) < frame.sp;
}

// An interpreted frame of `method`, at `bcp` (0 when it is not set yet).
void add_interpreted_frame(const VmLayout& layout, uintptr_t method, uintptr_t bcp, FrameWriter& out) {
    jmethodID id = method_id(layout, method);
    if (id == nullptr) {
        out.add(nullptr, 0, kFrameInterpreted);
        return;
    }
    if (is_native_method(layout, method)) {
        out.add(id, -3, kFrameNative);
        return;
    }
    uintptr_t const_method = read_word(method + layout.method_const_method);
    uintptr_t code = const_method + layout.const_method_size;
    uintptr_t code_size = read<uint16_t>(const_method + layout.const_method_code_size);
    // A bcp outside the method's bytecodes (not yet set at entry): bci unknown, InvocationEntryBci, no line.
    int bci = bcp >= code && bcp < code + code_size ? static_cast<int>(bcp - code) : layout.invocation_entry_bci;
    out.add(id, bci, kFrameInterpreted);
}

// The interpreted frame at `frame`. At the top, a method entry may be caught while it pushes the frame
// (generate_fixed_frame: return address, rbp, sender sp, last sp, then the Method*, mirror, cache, locals and,
// last, the bcp): rbp is already this frame's, but a slot below sp holds whatever an earlier call left there.
// Read as a Method*, that faulted in 0.5% of an -Xint method-handle loop's samples on JDK 25, and a stale one
// would name a method that is not running: there the method is the one the entry was given in rbx
// (`entering_method`, the interrupted register), validated like any other. A bcp slot below sp (the dozen
// instructions between the Method* and the bcp) may hold the previous call's bcp of the same method, which would
// pass the range check with a wrong bci: the frame is then at its entry (InvocationEntryBci).
void add_interpreted_frame_at(const VmLayout& layout, const Frame& frame, bool top, uintptr_t entering_method,
                              FrameWriter& out) {
    uintptr_t bcp = unwritten_at_top(frame, layout.interpreter_bcp_slot, top)
                        ? 0
                        : interpreter_slot(frame, layout.interpreter_bcp_slot);
    if (unwritten_at_top(frame, layout.interpreter_method_slot, top)) {
        // Without the register rule (a layout never gets there: the version constant is required), an unknown
        // frame: method_id refuses 0.
        add_interpreted_frame(layout, layout.interpreter_entry_method_in_rbx ? entering_method : 0, bcp, out);
        return;
    }
    add_interpreted_frame(layout, interpreter_slot(frame, layout.interpreter_method_slot), bcp, out);
}

// An entry frame (the call stub that JavaCalls uses to enter Java from the VM): the Java frames below it are
// those of the JavaCallWrapper's anchor, if that segment has any; else this was the outermost Java frame.
enum class Step { kNext, kOutermost, kBroken };

Step from_anchor(const StackRange& stack, uintptr_t anchor_sp_at, uintptr_t anchor_pc_at, uintptr_t anchor_fp_at,
                 Frame& frame) {
    uintptr_t sp = read_word(anchor_sp_at);
    if (sp == 0) return Step::kOutermost;
    if (!stack.contains(sp)) return Step::kBroken;
    uintptr_t pc = read_word(anchor_pc_at);
    // The anchor's pc is 0 when the frame was left by a call whose return address is still on the stack.
    if (pc == 0) pc = read_word(sp - kWord);
    frame = Frame{pc, sp, sp, read_word(anchor_fp_at)};
    return Step::kNext;
}

Step entry_frame_sender(const VmLayout& layout, const StackRange& stack, Frame& frame) {
    if (!stack.contains(frame.fp)) return Step::kBroken;
    uintptr_t wrapper = interpreter_slot(frame, layout.entry_frame_call_wrapper_slot);
    if (!aligned(wrapper)) return Step::kBroken;
    return from_anchor(stack, wrapper + layout.call_wrapper_anchor_sp, wrapper + layout.call_wrapper_anchor_pc,
                       wrapper + layout.call_wrapper_anchor_fp, frame);
}

// Why a step failed: the stop reason and the kind of code it was in.
struct StepFailure {
    JavaWalkStop stop;
    CodeKind kind;
};

// A compiled Java method (or a native method's wrapper): its Java frames from the debug info at the pc, then its
// caller. A complete frame has the nmethod's frame size. At the top, a pc before the frame is complete (the
// verified entry, before or while the prologue pushes rbp and moves sp: a method "caught at entry") or in an
// epilogue that already gave the frame up returns to the word at sp or just above the pushed rbp; and code that
// moved sp for a while inside the frame leaves the return address a few words above where the size puts it.
Step compiled_step(const VmLayout& layout, const StackRange& stack, Frame& frame, uintptr_t nm, bool top,
                   CodeKind stub_above, bool agct_rule, FrameWriter& out, StepFailure& failure) {
    failure.kind = is_native_method(layout, read_word(nm + layout.nmethod_method)) ? CodeKind::kNativeWrapper
                                                                                   : CodeKind::kCompiledMethod;
    failure.stop = JavaWalkStop::kNmethodScopes;
    uintptr_t pc = top ? frame.pc : original_pc(layout, nm, frame.pc, frame.unextended_sp);
    if (pc == 0 || !add_compiled_frames(layout, nm, pc, top, agct_rule, out)) return Step::kBroken;
    failure.stop = JavaWalkStop::kNmethodSender;
    int size = frame_size_words(layout, nm);
    // At or past the complete offset: a return address exactly there is the nmethod entry barrier's call, the
    // last instruction of a prologue (C1, native wrappers, C2 on JDK 17), with the frame built (fp_framed_sender).
    bool complete = frame.pc >= code_begin(layout, nm) + static_cast<uintptr_t>(frame_complete_offset(layout, nm));
    // An epilogue that already gave the frame up, before its frame size stops being true.
    if (top && complete && popped_frame_sender(layout, stack, frame)) return Step::kNext;
    // The caller of a stub the walk stepped over at the top (`stub_above` its kind). C1 calls the runtime stub
    // slow_subtype_check with its two arguments pushed (`push; push; call; pop; pop`,
    // LIR_Assembler::emit_typecheck_helper), so the frame's sp is two words above the return address's slot, and
    // the word its size would point at from the slot is one of the frame's own: on Lucene, C1 only, a spilled
    // code address there passed for the return address and the walk took a wrong caller. So after a runtime stub
    // the two pops after the call count, and after any stub only a return address a call left (call_site) is
    // taken, at the frame's size or a little above it (code that pushes more than it pops after the call, such
    // as C1's checkcast arraycopy, is found by the scan).
    if (stub_above != CodeKind::kNone) {
        if (stub_above == CodeKind::kRuntimeStub && pops_at(pc) == 2) frame.unextended_sp += 2 * kWord;
        bool found = complete && scanned_sender(layout, stack, frame, size, ScanFrom::kSizedSlot);
        return found ? Step::kNext : Step::kBroken;
    }
    if (complete && sized_frame_sender(layout, stack, frame, size)) return Step::kNext;
    if (top && !complete && prologue_sender(layout, stack, frame, size)) return Step::kNext;
    if (top && complete && frameless_sender(layout, stack, frame)) return Step::kNext;
    if (top && complete && scanned_sender(layout, stack, frame, size, ScanFrom::kAboveSizedSlot)) return Step::kNext;
    return Step::kBroken;
}

// One physical frame: its Java frames into `out`, then `frame` becomes its caller. `stub_above`: the kind of the
// stub the walk stepped over at the top just before, else kNone (below the top, only such a frame's sp may not be
// where its size says).
// `entering_method`: at the top, the interrupted rbx (add_interpreted_frame_at), else 0.
Step step(const VmLayout& layout, const StackRange& stack, Frame& frame, bool top, CodeKind stub_above, bool agct_rule,
          uintptr_t entering_method, FrameWriter& out, StepFailure& failure) {
    if (in_interpreter(layout, frame.pc)) {
        failure = StepFailure{JavaWalkStop::kInterpreterFrame, CodeKind::kInterpreter};
        if (!stack.contains(frame.fp) || frame.fp < frame.sp) return Step::kBroken;
        add_interpreted_frame_at(layout, frame, top, entering_method, out);
        // frame_x86: the caller's sp is just above the return address; its unextended sp (before this frame's
        // arguments were pushed) is saved in the frame, first after rbp, so at the top it may not be there yet:
        // then 0, which the check below replaces by the sp above the return address. For the one instruction
        // where that is so, a compiled caller that came through a c2i adapter (whose arguments moved its sp) gets
        // the wrong sp, from which its frame size may not lead to its return address (the interrupted r13 holds
        // the right one; not read, for one instruction).
        uintptr_t unextended = unwritten_at_top(frame, layout.interpreter_sender_sp_slot, top)
                                   ? 0
                                   : interpreter_slot(frame, layout.interpreter_sender_sp_slot);
        uintptr_t fp = frame.fp;
        // A c2i adapter that made room for the arguments moved sp below what the compiled caller had; fp[-1]
        // keeps the caller's own (higher) sp, from which its frame size counts.
        frame = Frame{read_word(fp + kWord), fp + 2 * kWord, unextended, read_word(fp)};
        if (!stack.contains(frame.unextended_sp) || frame.unextended_sp < frame.sp) frame.unextended_sp = frame.sp;
        return Step::kNext;
    }
    uintptr_t blob = find_blob(layout, frame.pc);
    failure = StepFailure{JavaWalkStop::kNotCode, CodeKind::kNotCode};
    if (blob == 0) return Step::kBroken;
    CodeKind kind = blob_code_kind(layout, blob);
    if (kind == CodeKind::kCompiledMethod)
        return compiled_step(layout, stack, frame, blob, top, stub_above, agct_rule, out, failure);
    // Stubs, adapters and runtime blobs: no Java frame of their own; each kind's rule finds the caller.
    failure = StepFailure{JavaWalkStop::kStubSender, kind};
    return stub_sender(layout, stack, frame, blob, kind, top) ? Step::kNext : Step::kBroken;
}

// A mounted continuation (a virtual thread) whose lower frames are still frozen in its heap stack chunk: thaw
// copies only the top frames of a large stack back (more than about 500 words) and points the lowest one's
// return address at StubRoutines::cont_returnBarrier, which thaws more when it is returned to. A Java frame's
// caller is Java code, an entry frame (the call stub) or an upcall stub, never another stub, so a return into a
// stub at or below one of the thread's continuation entries is that barrier. The frozen frames live in the Java heap,
// where a GC may move them: the walker does not read them. `frame` becomes the entry's own frame,
// Continuation.enterSpecial (sp at the ContinuationEntry, fp just above it, pc its return address), as HotSpot's
// frame::sender does without walking the continuation (Continuation::continuation_bottom_sender).
bool at_return_barrier(const VmLayout& layout, uintptr_t thread, const StackRange& stack, Frame& frame) {
    if (layout.thread_cont_entry < 0) return false;
    // Most threads run no continuation: one read, before the code cache is searched.
    uintptr_t entry = read_word(thread + static_cast<uint32_t>(layout.thread_cont_entry));
    if (entry == 0) return false;
    if (frame.pc == layout.call_stub_return || in_interpreter(layout, frame.pc)) return false;
    uintptr_t blob = find_blob(layout, frame.pc);
    if (blob == 0) return false;
    // An FFM upcall stub (JDK 22+) is a Java frame's real caller: native frames lie between it and the entry.
    CodeKind kind = blob_code_kind(layout, blob);
    if (kind == CodeKind::kCompiledMethod || kind == CodeKind::kUpcallStub) return false;
    // Innermost first, each at a higher address: the first at or above the frame's sp is its continuation's.
    for (int i = 0; i < kMaxContinuations && entry != 0; i++) {
        if (!stack.contains(entry)) return false;
        if (entry >= frame.sp) {
            uintptr_t return_pc = read_word(layout.cont_entry_return_pc_at);
            if (return_pc == 0) return false;
            frame = Frame{return_pc, entry, entry, entry + layout.cont_entry_size};
            return true;
        }
        entry = read_word(entry + layout.cont_entry_parent);
    }
    return false;
}

}  // namespace

bool thread_in_java(const VmLayout& layout, uintptr_t thread) {
    int32_t state = read<int32_t>(thread + layout.thread_state);
    return state == layout.state_in_java || state == layout.state_in_java_trans;
}

JavaWalk walk_java_stack(const VmLayout& layout, uintptr_t thread, const JavaWalkStart& start, AgctFrame* frames,
                         int max) {
    JavaWalk result{0, kStatusNotWalkableJava, 0, JavaWalkStop::kNone, CodeKind::kNone, 0, 0, false};
    if (!layout.ready || !aligned(thread) || max <= 0) return result;
    uintptr_t stack_base = read_word(thread + layout.stack_base);
    uintptr_t stack_size = read_word(thread + layout.stack_size);
    if (stack_base == 0 || stack_size == 0 || stack_size > stack_base) return result;
    StackRange stack{stack_base - stack_size, stack_base};
    Frame frame{};
    bool top = true;
    // A complete anchor (sp and pc) is used even in the Java state, as AsyncGetCallTrace does: the thread set
    // it before calling out of Java, and it is more reliable than registers somewhere in a stub or the VM.
    bool anchored = read_word(thread + layout.anchor_sp) != 0 && read_word(thread + layout.anchor_pc) != 0;
    if (!anchored && thread_in_java(layout, thread)) {
        const FrameRegisters& registers = start.registers;
        if (!start.in_generated_code) {
            return JavaWalk{
                0, kStatusUnknownJava, 0, JavaWalkStop::kStartInLibrary, CodeKind::kNativeCode, registers.pc, 0, false};
        }
        frame = Frame{registers.pc, registers.sp, registers.sp, registers.fp};
        // A stub or compiled method that called into a library (a leaf call into the VM, such as the
        // deoptimization blob's) is walked from its return address, like a frame below the top.
        top = !start.at_return_address;
        if (!stack.contains(frame.sp)) {
            return JavaWalk{0, kStatusUnknownJava, 0, JavaWalkStop::kNotClimbing, CodeKind::kNone, 0, 0, false};
        }
    } else {
        // In the VM, in native code or blocked: the thread left its last Java frame in the anchor.
        Step from =
            from_anchor(stack, thread + layout.anchor_sp, thread + layout.anchor_pc, thread + layout.anchor_fp, frame);
        if (from == Step::kOutermost) {
            return JavaWalk{0, kStatusNoJavaFrame, 0, JavaWalkStop::kNone, CodeKind::kNone, 0, 0, true};
        }
        if (from == Step::kBroken) return result;
        // The anchor is a call's return point, never an interrupted instruction.
        top = false;
    }
    result.start_pc = frame.pc;
    result.anchored = anchored || !thread_in_java(layout, thread);
    FrameWriter out(frames, max);
    int entries = 0;
    bool stub_at_top = false;  // the frame before this one was a stub or adapter at the top
    // Whether `frame` is the caller of a Java frame (one that wrote frames), not the start or a stub's caller: only
    // there can a return into a stub be the continuation's return barrier (an anchor's pc may be in a stub).
    bool after_java_frame = false;
    for (int steps = 0; steps < kMaxSteps; steps++) {
        if (out.full()) {
            result.truncated = kTruncated;
            break;
        }
        Step next;
        uintptr_t pc = frame.pc;
        bool was_top = top;
        StepFailure failure{JavaWalkStop::kEntryFrame, CodeKind::kCallStub};
        if (after_java_frame && at_return_barrier(layout, thread, stack, frame)) {
            // Said in the stack rather than skipped: the frames between are the virtual thread's outer ones.
            out.add(nullptr, 0, kFrameFrozenContinuation);
            pc = frame.pc;
        }
        int count_before = out.count();
        after_java_frame = false;
        if (frame.pc == layout.call_stub_return) {
            next = ++entries > kMaxEntryFrames ? Step::kBroken : entry_frame_sender(layout, stack, frame);
        } else {
            uintptr_t sp_before = frame.sp;
            // The frame may have moved its sp for a while when it was interrupted, or when it called the stub the
            // walk just stepped over at the top: C1 pushes slow_subtype_check's two arguments before the call.
            next = step(layout, stack, frame, top, stub_at_top ? result.code_kind : CodeKind::kNone,
                        start.agct_top_pc_rule, top ? start.method_register : 0, out, failure);
            after_java_frame = out.count() > count_before;
            // Callers live at higher addresses: a walk that does not climb is going round in circles.
            if (next == Step::kNext && frame.sp <= sp_before) {
                next = Step::kBroken;
                failure.stop = JavaWalkStop::kNotClimbing;
            }
        }
        // A stub or adapter stepped over at the top: the sample shows it above its Java caller.
        stub_at_top = was_top && next == Step::kNext && out.count() == count_before;
        if (stub_at_top) result.code_kind = failure.kind;
        top = false;
        if (next == Step::kOutermost) break;
        if (next == Step::kBroken) {
            result.stop = failure.stop;
            result.code_kind = failure.kind;
            result.stop_pc = pc;
            if (out.count() == 0) {
                result.status = was_top ? kStatusUnknownJava : kStatusNotWalkableJava;
                return result;
            }
            result.truncated = kJavaWalkBroken;
            break;
        }
    }
    result.count = out.count();
    result.status = result.count > 0 ? kStatusOk : kStatusNoJavaFrame;
    return result;
}

}  // namespace hotframe
