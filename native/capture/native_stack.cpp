// Signal-safe: called from the SIGPROF handler, under the fault guard.
#include "native/capture/native_stack.h"

#include <ucontext.h>

namespace hotframe {

namespace {

// A frame pointer further than this above the stack pointer is not on this thread's stack: thread stacks are
// at most a few MB, and a corrupt chain must end rather than wander.
constexpr uintptr_t kMaxStackSpan = 64u << 20;
constexpr uintptr_t kLowestCodeAddress = 4096;

}  // namespace

int walk_frame_pointers(const void* ucontext, uintptr_t* pcs, int max) {
    if (ucontext == nullptr || max <= 0) return 0;
    const auto* context = static_cast<const ucontext_t*>(ucontext);
    auto pc = static_cast<uintptr_t>(context->uc_mcontext.gregs[REG_RIP]);
    auto fp = static_cast<uintptr_t>(context->uc_mcontext.gregs[REG_RBP]);
    auto sp = static_cast<uintptr_t>(context->uc_mcontext.gregs[REG_RSP]);
    int count = 0;
    pcs[count++] = pc;
    uintptr_t previous = sp;
    while (count < max) {
        // Each frame lies above the one it called, within the stack, aligned.
        if (fp < previous || fp - sp > kMaxStackSpan || (fp & 7) != 0) break;
        const auto* frame = reinterpret_cast<const uintptr_t*>(fp);
        uintptr_t caller_fp = frame[0];
        uintptr_t return_address = frame[1];
        if (return_address < kLowestCodeAddress) break;
        pcs[count++] = return_address;
        if (caller_fp <= fp) break;
        previous = fp;
        fp = caller_fp;
    }
    return count;
}

}  // namespace hotframe
