// Signal-safe: called from the SIGPROF handler, under the fault guard.
#include "native/capture/frame_senders.h"

#include "native/capture/code_cache.h"
#include "native/capture/nmethod_scopes.h"
#include "native/capture/vm_memory.h"

namespace hotframe {

using code_cache::code_begin;
using code_cache::find_blob;
using code_cache::in_interpreter;
using code_cache::is_nmethod;
using vm_memory::kWord;
using vm_memory::read_word;

namespace {

// A pc the walk may continue at: code that runs Java or calls it.
bool plausible_code(const VmLayout& layout, uintptr_t pc) {
    if (pc == layout.call_stub_return || in_interpreter(layout, pc)) return true;
    uintptr_t blob = find_blob(layout, pc);
    return blob != 0 && pc > code_begin(layout, blob);
}

// A return address that only a call leaves: into the interpreter, the call stub, a stub, or compiled code at a
// call site (which has a PcDesc of its own at its return address).
bool call_site(const VmLayout& layout, uintptr_t pc) {
    if (pc == layout.call_stub_return || in_interpreter(layout, pc)) return true;
    uintptr_t blob = find_blob(layout, pc);
    if (blob == 0) return false;
    uintptr_t begin = code_begin(layout, blob);
    if (pc <= begin) return false;
    if (!is_nmethod(layout, blob)) return true;
    return pc_desc_from(layout, nmethod_data(layout, blob), static_cast<int64_t>(pc - begin)).exact;
}

}  // namespace

bool sender_at(const VmLayout& layout, const StackRange& stack, Frame& frame, uintptr_t slot, bool fp_saved) {
    if (!stack.contains(slot)) return false;
    uintptr_t pc = read_word(slot);
    if (!plausible_code(layout, pc)) return false;
    uintptr_t fp = fp_saved ? read_word(slot - kWord) : frame.fp;
    frame = Frame{pc, slot + kWord, slot + kWord, fp};
    return true;
}

// A frame of known size (compiled Java code, runtime stubs): the return address is the last word of the frame,
// the caller's fp just below it (frame_x86: sender_sp = unextended_sp + frame_size).
bool sized_frame_sender(const VmLayout& layout, const StackRange& stack, Frame& frame, int frame_words) {
    if (frame_words <= 0 || frame_words > 1 << 16) return false;
    uintptr_t sender_sp = frame.unextended_sp + static_cast<uintptr_t>(frame_words) * kWord;
    return sender_at(layout, stack, frame, sender_sp - kWord, true);
}

bool scanned_sender(const VmLayout& layout, const StackRange& stack, Frame& frame, int frame_words) {
    constexpr int kMaxScanWords = 32;
    if (frame_words <= 0 || frame_words > 1 << 16) return false;
    for (int extra = 1; extra <= kMaxScanWords; extra++) {
        uintptr_t slot = frame.unextended_sp + static_cast<uintptr_t>(frame_words + extra - 1) * kWord;
        if (!stack.contains(slot)) return false;
        if (call_site(layout, read_word(slot))) return sender_at(layout, stack, frame, slot, true);
    }
    return false;
}

// A frame that is not complete (compiled code's prologue, before `sub rsp` or even before `push rbp`), or code
// that builds no frame at all (most StubRoutines): the return address is at sp, or one word higher with rbp
// pushed. Only a pc that runs or calls Java is accepted, so a saved rbp is never taken for a return address.
bool frameless_sender(const VmLayout& layout, const StackRange& stack, Frame& frame) {
    Frame candidate = frame;
    if (sender_at(layout, stack, candidate, frame.sp, false)) {
        frame = candidate;
        return true;
    }
    candidate = frame;
    if (sender_at(layout, stack, candidate, frame.sp + kWord, true)) {
        frame = candidate;
        return true;
    }
    return false;
}

// An rbp-framed stub (enter() ... leave()): [fp] the caller's fp, [fp + 8] the return address.
bool fp_framed_sender(const VmLayout& layout, const StackRange& stack, Frame& frame) {
    if (!stack.contains(frame.fp) || frame.fp < frame.sp) return false;
    return sender_at(layout, stack, frame, frame.fp + kWord, true);
}

}  // namespace hotframe
