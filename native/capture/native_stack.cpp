// Signal-safe: called from the SIGPROF handler, under the fault guard.
#include "native/capture/native_stack.h"

#include <ucontext.h>

#include "native/capture/library_code.h"

namespace hotframe {

namespace {

// A frame further than this above the stack pointer is not on this thread's stack: thread stacks are at most
// a few MB, and a corrupt chain must end rather than wander.
constexpr uintptr_t kMaxStackSpan = 64u << 20;
constexpr uintptr_t kLowestCodeAddress = 4096;

using Registers = FrameRegisters;

enum class Step { kNext, kOutermost, kBroken };

bool on_stack(uintptr_t address, uintptr_t stack_start) {
    return address >= stack_start && address - stack_start <= kMaxStackSpan && (address & 7) == 0;
}

// One frame up by the library's DWARF row. `lookup_pc` is the pc itself for the interrupted frame and one byte
// before the return address for the others (a call may be a function's last instruction).
Step step_by_row(const UnwindRow& row, Registers& registers, uintptr_t stack_start, bool interrupted,
                 uintptr_t& return_address) {
    if (row.cfa_register == kCfaOutermost) return Step::kOutermost;
    uintptr_t cfa = (row.cfa_register == kCfaSp ? registers.sp : registers.fp) + static_cast<intptr_t>(row.cfa_offset);
    // The return address is the last thing the caller pushed, so the CFA lies above the current stack pointer.
    if (cfa <= registers.sp || !on_stack(cfa, stack_start)) return Step::kBroken;
    const auto* slots = reinterpret_cast<const uintptr_t*>(cfa);
    return_address = slots[-1];
    uintptr_t saved_fp_at = cfa + static_cast<intptr_t>(row.fp_offset);
    // GCC often pops rbp a few instructions before the `ret` and describes that only by moving the CFA back to
    // rsp + 8: the rule for rbp still says "saved at CFA - 16". In the interrupted frame that slot then lies
    // below the stack pointer, and the pop has already put the caller's rbp in the register, so it stays.
    // (Treated as a break, this lost 0.4% of a C2 compiler thread's samples, its many small leaf functions
    // ending that way.) A caller's frame is stopped at a call, never in an epilogue: there it is a break.
    bool popped = interrupted && saved_fp_at < registers.sp;
    if (row.fp_offset != kFpUnchanged && !popped) {
        if (!on_stack(saved_fp_at, stack_start)) return Step::kBroken;
        registers.fp = *reinterpret_cast<const uintptr_t*>(saved_fp_at);
    }
    registers.sp = cfa;
    return Step::kNext;
}

// One frame up by the frame pointer: [rbp] holds the caller's rbp and [rbp + 8] the return address.
Step step_by_frame_pointer(Registers& registers, uintptr_t& return_address) {
    if (!on_stack(registers.fp, registers.sp)) return Step::kBroken;
    const auto* frame = reinterpret_cast<const uintptr_t*>(registers.fp);
    uintptr_t caller_fp = frame[0];
    return_address = frame[1];
    registers.sp = registers.fp + 2 * sizeof(uintptr_t);
    registers.fp = caller_fp;
    // The thread's creator zeroes rbp for its first frame (glibc's clone does), so a zero caller frame pointer
    // after a good return address is the end of the chain, not a break.
    if (caller_fp == 0 && return_address >= kLowestCodeAddress) return Step::kOutermost;
    return Step::kNext;
}

// library_code::find with the walk's last match tried first: consecutive frames are mostly in one library
// (a compiler thread's tens of frames in libjvm), and find() goes through every library newer than it. Both say
// alike whether a pc is in a library (the cache returns only a live library that holds it). Which library
// could differ only if two live entries overlapped, and they do not: an object's executable segments lie in the
// one mapping the loader reserved for it, and an unloaded object's entry stops being live when the library scan
// sees it gone (until then find() returns that entry too).
const library_code::Library* find_library(uintptr_t pc, const library_code::Library*& last) {
    if (last != nullptr && pc >= last->low && pc < last->high && last->live.load(std::memory_order_acquire)) {
        return last;
    }
    const library_code::Library* found = library_code::find(pc);
    if (found != nullptr) last = found;
    return found;
}

}  // namespace

uintptr_t interrupted_pc(const void* ucontext) {
    return static_cast<uintptr_t>(static_cast<const ucontext_t*>(ucontext)->uc_mcontext.gregs[REG_RIP]);
}

FrameRegisters interrupted_registers(const void* ucontext) {
    const auto* context = static_cast<const ucontext_t*>(ucontext);
    return FrameRegisters{static_cast<uintptr_t>(context->uc_mcontext.gregs[REG_RIP]),
                          static_cast<uintptr_t>(context->uc_mcontext.gregs[REG_RSP]),
                          static_cast<uintptr_t>(context->uc_mcontext.gregs[REG_RBP])};
}

uintptr_t interrupted_method_register(const void* ucontext) {
    return static_cast<uintptr_t>(static_cast<const ucontext_t*>(ucontext)->uc_mcontext.gregs[REG_RBX]);
}

NativeWalk walk_native_stack(const void* ucontext, UnwindMethod method, bool stop_at_generated_code, uintptr_t* pcs,
                             int max, FrameRegisters* java_frame) {
    if (ucontext == nullptr || max <= 0) return NativeWalk{0, kWalkBroken};
    Registers registers = interrupted_registers(ucontext);
    const uintptr_t stack_start = registers.sp;
    const library_code::Library* last = nullptr;
    if (stop_at_generated_code && find_library(registers.pc, last) == nullptr) {
        if (java_frame != nullptr) *java_frame = registers;
        return NativeWalk{0, kWalkReachedJava};
    }
    int count = 0;
    while (true) {
        if (count == max) return NativeWalk{count, kWalkFull};
        pcs[count++] = registers.pc;
        uintptr_t lookup_pc = count == 1 ? registers.pc : registers.pc - 1;
        const UnwindRow* row = nullptr;
        if (method == UnwindMethod::kDwarf) {
            const library_code::Library* library = find_library(lookup_pc, last);
            const UnwindTable* table = library != nullptr ? library->unwind.load(std::memory_order_acquire) : nullptr;
            if (table != nullptr) row = find_unwind_row(*table, lookup_pc);
        }
        uintptr_t return_address = 0;
        Step step = row != nullptr && row->cfa_register != kCfaUnknown
                        ? step_by_row(*row, registers, stack_start, count == 1, return_address)
                        : step_by_frame_pointer(registers, return_address);
        if (step == Step::kBroken) return NativeWalk{count, kWalkBroken};
        if (return_address < kLowestCodeAddress) {
            return NativeWalk{count, step == Step::kOutermost || return_address == 0 ? kWalkOutermost : kWalkBroken};
        }
        if (stop_at_generated_code && find_library(return_address, last) == nullptr) {
            if (java_frame != nullptr) *java_frame = Registers{return_address, registers.sp, registers.fp};
            return NativeWalk{count, kWalkReachedJava};
        }
        registers.pc = return_address;
        if (step == Step::kOutermost) {
            if (count == max) return NativeWalk{count, kWalkFull};
            pcs[count++] = registers.pc;
            return NativeWalk{count, kWalkOutermost};
        }
    }
}

}  // namespace hotframe
