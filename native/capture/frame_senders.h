// Signal-safe. How the vm walker finds the caller of one physical frame in generated code, by the shape of the
// frame: a frame of known size (compiled code, runtime stubs), no frame at all or a frame not yet built (leaf
// stubs, a method's prologue), an rbp-framed stub, or a compiled frame whose sp code inside it moved for a
// while. Every rule accepts a caller only if its pc is code that runs or calls Java, and only on the thread's
// own stack. Reads VM memory: call under the fault guard.
#pragma once

#include <stdint.h>

#include "native/capture/vm_layout.h"

namespace hotframe {

// The thread's own stack, [low, high): every frame the walk accepts lies inside it.
struct StackRange {
    uintptr_t low;
    uintptr_t high;
    bool contains(uintptr_t address) const { return address >= low && address < high && (address & 7) == 0; }
};

// One physical frame as the walk steps through them.
struct Frame {
    uintptr_t pc;
    uintptr_t sp;             // the frame's stack pointer as its caller sees it
    uintptr_t unextended_sp;  // below sp when an interpreted callee extended the caller's frame (java_walk.cpp)
    uintptr_t fp;
};

// Each rule below replaces `frame` by its caller and returns true, or leaves it and returns false.

// A frame of `frame_words` words, return address included: the return address is the last word of the frame,
// the caller's fp just below it (frame_x86: sender_sp = unextended_sp + frame_size).
bool sized_frame_sender(const VmLayout& layout, const StackRange& stack, Frame& frame, int frame_words);

// How many pop instructions (not of rbp, at most four) start at `pc`: after a call, the words its caller pushed
// for it (x86-64 code; read under the fault guard).
int pops_at(uintptr_t pc);

// The interrupted compiled frame whose sp is not where its frame size says: code inside it moved sp for a while
// (x86's String.indexOf intrinsic copies a short substring onto the stack). The return address is then a few
// words higher than the frame size puts it (kAboveSizedSlot). From kSizedSlot, the slot the size points at is
// tried first: the caller of a stub caught at the top, where a word of the frame's own may lie there. Only a word
// a call left is taken (a call site of compiled code, the interpreter, a stub, a native method's wrapper right
// after a call, or a deopt handler in place of one).
enum class ScanFrom { kSizedSlot, kAboveSizedSlot };
bool scanned_sender(const VmLayout& layout, const StackRange& stack, Frame& frame, int frame_words, ScanFrom from);

// A frame that is not complete (compiled code's prologue, before `sub rsp` or even before `push rbp`), or code
// that builds no frame at all (most StubRoutines): the return address is at sp, or one word higher with rbp
// pushed. Only a pc that runs or calls Java is accepted, so a saved rbp is never taken for a return address.
bool frameless_sender(const VmLayout& layout, const StackRange& stack, Frame& frame);

// The interrupted compiled frame before it is complete: the unverified entry's inline cache check, the verified
// entry's stack bang and the prologue that builds the frame, told by the instruction at pc (x86-64,
// MacroAssembler::verified_entry: C2 does `sub rsp, n; mov [rsp + n - 8], rbp` or, after a stack bang,
// `push rbp; sub rsp, n`; C1 `push rbp; sub rsp, n`): nothing pushed yet, the return address at sp; rbp pushed,
// one word higher; sp moved but rbp not yet stored, n bytes higher. Past the prologue (an nmethod entry barrier
// before the complete offset) the frame is built and `frame_words` applies. Only a return address a call left
// is accepted: the words below a frame that is still being built hold whatever an earlier callee or signal
// frame left there, pcs of this very method among them.
bool prologue_sender(const VmLayout& layout, const StackRange& stack, Frame& frame, int frame_words);

// The interrupted compiled frame in its epilogue (x86-64, C1 and C2 alike: `add rsp, n; pop rbp; [return
// poll: cmp rsp, [r15 + poll word]; ja slow path]; ret`), told by the instruction at pc: at `pop rbp` the
// return address is one word above sp; after it (the poll, `ret`) at sp. False anywhere else.
bool popped_frame_sender(const VmLayout& layout, const StackRange& stack, Frame& frame);

// An rbp-framed stub (enter() ... leave()): [fp] the caller's fp, [fp + 8] the return address; or [fp + 16]
// behind the nmethod entry barrier's cookie (see the definition).
bool fp_framed_sender(const VmLayout& layout, const StackRange& stack, Frame& frame);

// A frameless or rbp-framed stub at the top, with registers pushed below its return address: the nearest of the
// `max_words` words from sp up that a call instruction left, into the interpreter, the call stub or code right
// after a call (return_address_after_call). The caller's fp is the word below it when it is [fp + 8] (the stub
// did enter()), else rbp unchanged: a stub that does not build a frame leaves rbp to its caller.
bool nearest_return_sender(const VmLayout& layout, const StackRange& stack, Frame& frame, int max_words);

// The caller whose return address is the word at `slot` (its sp just above it); its fp is the frame's unchanged,
// or the word below the return address when `fp_saved`.
bool sender_at(const VmLayout& layout, const StackRange& stack, Frame& frame, uintptr_t slot, bool fp_saved);

}  // namespace hotframe
