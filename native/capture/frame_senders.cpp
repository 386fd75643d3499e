// Signal-safe: called from the SIGPROF handler, under the fault guard.
#include "native/capture/frame_senders.h"

#include "native/capture/code_cache.h"
#include "native/capture/java_frames.h"
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

// x86-64: the instruction that ends at `pc` is a call: `call rel32` (E8), `call reg` (FF /2, with or without a
// REX prefix) or `call [rip + disp32]` (FF 15). The code before a pc in the code cache is always mapped.
bool after_call(uintptr_t pc) {
    auto byte = [pc](int back) { return *reinterpret_cast<const uint8_t*>(pc - back); };
    if (byte(5) == 0xE8) return true;
    if (byte(2) == 0xFF && (byte(1) & 0xF8) == 0xD0) return true;
    if (byte(6) == 0xFF && byte(5) == 0x15) return true;
    return false;
}

// A return address that only a call leaves: into the interpreter, the call stub, a stub, compiled code at a call
// site (which has a PcDesc of its own at its return address) or a native method's wrapper right after a call; or
// the deopt handler that deoptimization put in place of one.
bool call_site(const VmLayout& layout, uintptr_t pc) {
    if (pc == layout.call_stub_return || in_interpreter(layout, pc)) return true;
    uintptr_t blob = find_blob(layout, pc);
    if (blob == 0) return false;
    uintptr_t begin = code_begin(layout, blob);
    if (pc <= begin) return false;
    if (!is_nmethod(layout, blob)) return true;
    if (pc_desc_from(layout, nmethod_data(layout, blob), static_cast<int64_t>(pc - begin)).exact) return true;
    if (is_deopt_handler(layout, blob, pc)) return true;
    // A native method's wrapper records no PcDesc at its calls (Continuation.enterSpecial's call of
    // Continuation.enter is one): the instruction before is the evidence there.
    return is_native_method(layout, read_word(blob + layout.nmethod_method)) && after_call(pc);
}

// A word that a call left on the stack: a return into the interpreter (whose invokes push their return address
// from a table, not always by a call instruction), the call stub, or code of the code cache right after a call.
bool return_address_after_call(const VmLayout& layout, uintptr_t pc) {
    if (pc == layout.call_stub_return || in_interpreter(layout, pc)) return true;
    uintptr_t blob = find_blob(layout, pc);
    return blob != 0 && pc > code_begin(layout, blob) + 6 && after_call(pc);
}

// Like sender_at, but the word at `slot` must be a return address a call left (return_address_after_call).
bool return_sender_at(const VmLayout& layout, const StackRange& stack, Frame& frame, uintptr_t slot, bool fp_saved) {
    if (!stack.contains(slot) || !return_address_after_call(layout, read_word(slot))) return false;
    return sender_at(layout, stack, frame, slot, fp_saved);
}

}  // namespace

bool prologue_sender(const VmLayout& layout, const StackRange& stack, Frame& frame, int frame_words) {
    auto byte = [&frame](int offset) { return *reinterpret_cast<const uint8_t*>(frame.pc + offset); };
    auto disp32 = [&frame](int offset) { return *reinterpret_cast<const int32_t*>(frame.pc + offset); };
    if (byte(0) == 0x55) return return_sender_at(layout, stack, frame, frame.sp, false);  // at push rbp
    // Right after push rbp, or after push rbp; mov rbp, rsp (48 8B EC or 48 89 E5) with PreserveFramePointer.
    bool mov_rbp_rsp =
        byte(-3) == 0x48 && ((byte(-2) == 0x8B && byte(-1) == 0xEC) || (byte(-2) == 0x89 && byte(-1) == 0xE5));
    if (byte(-1) == 0x55 || (mov_rbp_rsp && byte(-4) == 0x55)) {
        return return_sender_at(layout, stack, frame, frame.sp + kWord, true);
    }
    // At mov [rsp + d], rbp (48 89 6C 24 d8, or 48 89 AC 24 d32): sub rsp already made the frame, and rbp is
    // about to go into its top word, just below the return address.
    if (byte(0) == 0x48 && byte(1) == 0x89 && byte(3) == 0x24) {
        // disp8 is signed; a negative one is no frame of ours and is refused below.
        int64_t displacement = byte(2) == 0x6C ? static_cast<int8_t>(byte(4)) : byte(2) == 0xAC ? disp32(4) : -1;
        if (displacement >= 0 && displacement < (1 << 20)) {
            return return_sender_at(layout, stack, frame, frame.sp + static_cast<uintptr_t>(displacement) + kWord,
                                    false);
        }
    }
    // Nothing pushed yet (the inline cache check, the stack bang, sub rsp): the return address is at sp; else
    // the frame is built.
    if (return_sender_at(layout, stack, frame, frame.sp, false)) return true;
    return sized_frame_sender(layout, stack, frame, frame_words);
}

bool popped_frame_sender(const VmLayout& layout, const StackRange& stack, Frame& frame) {
    auto byte = [&frame](int offset) { return *reinterpret_cast<const uint8_t*>(frame.pc + offset); };
    // cmp rsp, [r15 + disp8] is 49 3B 67 d8; with a disp32, 49 3B A7 d32; ja follows (77 rel8 or 0F 87 rel32).
    auto poll_at = [&byte](int offset) {
        return byte(offset) == 0x49 && byte(offset + 1) == 0x3B &&
               (byte(offset + 2) == 0x67 || byte(offset + 2) == 0xA7);
    };
    if (byte(0) == 0x5D) return sender_at(layout, stack, frame, frame.sp + kWord, true);  // pop rbp
    bool at_poll_jump = (poll_at(-4) && byte(-2) == 0x67) || (poll_at(-7) && byte(-5) == 0xA7);
    bool after_pop = byte(0) == 0xC3 || poll_at(0) || at_poll_jump;
    return after_pop && sender_at(layout, stack, frame, frame.sp, false);
}

bool nearest_return_sender(const VmLayout& layout, const StackRange& stack, Frame& frame, int max_words) {
    for (int i = 0; i < max_words; i++) {
        uintptr_t slot = frame.sp + static_cast<uintptr_t>(i) * kWord;
        if (!stack.contains(slot)) return false;
        uintptr_t pc = read_word(slot);
        if (!return_address_after_call(layout, pc)) continue;
        uintptr_t fp = slot == frame.fp + kWord ? read_word(frame.fp) : frame.fp;
        frame = Frame{pc, slot + kWord, slot + kWord, fp};
        return true;
    }
    return false;
}

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

int pops_at(uintptr_t pc) {
    constexpr int kMaxPops = 4;
    auto byte = [pc](int offset) { return *reinterpret_cast<const uint8_t*>(pc + offset); };
    // pop r64 is 58+r, with a REX.B prefix (41) for r8-r15; pop rbp (5D) is left out, as the start of an
    // epilogue rather than the undoing of a push before the call (pop rsp, 5C, is counted: compiled code never
    // emits it).
    auto pop_register = [](uint8_t code) { return code >= 0x58 && code <= 0x5F && code != 0x5D; };
    int pops = 0;
    for (int at = 0; pops < kMaxPops; pops++) {
        if (pop_register(byte(at))) {
            at += 1;
        } else if (byte(at) == 0x41 && byte(at + 1) >= 0x58 && byte(at + 1) <= 0x5F) {
            at += 2;
        } else {
            break;
        }
    }
    return pops;
}

bool scanned_sender(const VmLayout& layout, const StackRange& stack, Frame& frame, int frame_words, ScanFrom from) {
    constexpr int kMaxScanWords = 32;
    if (frame_words <= 0 || frame_words > 1 << 16) return false;
    for (int extra = from == ScanFrom::kSizedSlot ? 0 : 1; extra <= kMaxScanWords; extra++) {
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
// One stub pushes a word between the two: StubRoutines::method_entry_barrier (x86-64, JDK 17 and later) starts
// `push -1; push rbp; mov rbp, rsp` (checked in Debian's 17 and Temurin 25 with -XX:+PrintStubCode), the -1 a
// cookie where deoptimization leaves the new sp. It is called on a compiled method's first entry after a GC
// cycle armed the barriers, once the method's frame is built: by the last instruction of the prologue (C1,
// native wrappers, C2 on JDK 17) or from C2's out-of-line barrier stub at the end of the method (JDK 21 and
// later), so the return address is into that nmethod and its frame size applies. It calls
// BarrierSetNMethod::nmethod_stub_entry_barrier in the VM, where a sample reaches this stub from the native walk.
// So a -1 at [fp + 8] means the return address is at [fp + 16]; no return address or saved fp is ever -1, and
// only a word a call left there is taken.
bool fp_framed_sender(const VmLayout& layout, const StackRange& stack, Frame& frame) {
    if (!stack.contains(frame.fp) || frame.fp < frame.sp) return false;
    if (sender_at(layout, stack, frame, frame.fp + kWord, true)) return true;
    constexpr uintptr_t kEntryBarrierCookie = ~uintptr_t{0};
    if (!stack.contains(frame.fp + kWord) || read_word(frame.fp + kWord) != kEntryBarrierCookie) return false;
    uintptr_t callers_fp = read_word(frame.fp);
    if (!return_sender_at(layout, stack, frame, frame.fp + 2 * kWord, false)) return false;
    frame.fp = callers_fp;
    return true;
}

}  // namespace hotframe
