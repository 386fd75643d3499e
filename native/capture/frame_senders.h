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

// The interrupted compiled frame whose sp is not where its frame size says: code inside it moved sp for a while
// (x86's String.indexOf intrinsic copies a short substring onto the stack). The return address is then a few
// words higher than the frame size puts it; only a word a call could have left there is taken.
bool scanned_sender(const VmLayout& layout, const StackRange& stack, Frame& frame, int frame_words);

// A frame that is not complete (compiled code's prologue, before `sub rsp` or even before `push rbp`), or code
// that builds no frame at all (most StubRoutines): the return address is at sp, or one word higher with rbp
// pushed. Only a pc that runs or calls Java is accepted, so a saved rbp is never taken for a return address.
bool frameless_sender(const VmLayout& layout, const StackRange& stack, Frame& frame);

// An rbp-framed stub (enter() ... leave()): [fp] the caller's fp, [fp + 8] the return address.
bool fp_framed_sender(const VmLayout& layout, const StackRange& stack, Frame& frame);

// The caller whose return address is the word at `slot` (its sp just above it); its fp is the frame's unchanged,
// or the word below the return address when `fp_saved`.
bool sender_at(const VmLayout& layout, const StackRange& stack, Frame& frame, uintptr_t slot, bool fp_saved);

}  // namespace hotframe
