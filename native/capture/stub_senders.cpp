// Signal-safe: called from the SIGPROF handler, under the fault guard.
#include "native/capture/stub_senders.h"

#include "native/capture/code_cache.h"
#include "native/capture/java_frames.h"
#include "native/capture/vm_memory.h"

namespace hotframe {

using vm_memory::kWord;
using vm_memory::read_word;

namespace {

// How far above sp a leaf stub may keep its return address: the registers it saves below it (arraycopy stubs
// save at most a few; the CRC and crypto stubs save the callee-saved ones, six words, and align).
constexpr int kMaxLeafStubWords = 24;
// How many words a runtime stub pushes before its frame is built: a few registers at most, except C1's
// slow_subtype_check, which saves four and on JDK 23 and later pushes the secondary-supers lookup's temporaries
// on top of them. With room for eight there, a JDK 25 sample did not reach its return address and the rules after
// this one took a frame further up: 345 of 549 such samples lost their two innermost Java frames (test_vm_stubs'
// C1-only run, which fails with eight). Only that stub gets sixteen: in the others that enter() and then save
// the live registers, the words above sp are saved registers, and rbp (fp_framed_sender) is the right rule.
constexpr int kMaxRuntimeStubPushes = 8;
constexpr int kMaxSubtypeCheckPushes = 16;

// A leaf stub of a StubRoutines buffer (arraycopy, checkcast copy, crc32, math, ...) or another buffer blob.
// Many stubs share one blob, so the blob's frame size and complete offset say nothing about the stub at pc. A
// leaf stub is called (never jumped to) from compiled code or the interpreter, and either builds no frame, only
// pushing registers below its return address, or builds an rbp frame with enter() and then pushes. So at the
// top the return address is the nearest word above sp that a call left (nearest_return_sender), and the caller's
// fp is the one below it when that word is [fp + 8] (enter()), else rbp unchanged. Below the top (a stub that
// called out, such as the generic arraycopy calling a typed one) it must have built an rbp frame.
bool leaf_stub_sender(const VmLayout& layout, const StackRange& stack, Frame& frame, bool top) {
    if (!top) return fp_framed_sender(layout, stack, frame);
    return nearest_return_sender(layout, stack, frame, kMaxLeafStubWords);
}

// vtable and itable stubs load the target from the receiver's class and jump to it: they have no frame and are
// never a caller, so the return address into the compiled caller is at sp.
bool dispatch_stub_sender(const VmLayout& layout, const StackRange& stack, Frame& frame, bool top) {
    return top && nearest_return_sender(layout, stack, frame, 1);
}

// The interpreter's entries for method handle intrinsics (invokeBasic, linkToVirtual, ...) are jumped to by the
// interpreter's invoke with the return address at sp, move the arguments and jump to the target. linkTo* drop
// their trailing MemberName argument, which lies just above the return address: they pop the return address,
// pop the argument and push the address back, so for one instruction it is a word higher.
bool method_handle_adapter_sender(const VmLayout& layout, const StackRange& stack, Frame& frame, bool top) {
    return top && nearest_return_sender(layout, stack, frame, 2);
}

// I2C and C2I adapters, which convert arguments between the interpreter's and the compilers' conventions:
// - C2I is called by compiled code (a call site) and ends by jumping into the interpreter. It pops the return
//   address into a register, makes room for the arguments and stores the address back at sp before the jump;
//   for the few instructions in between the address is in rax, which a signal context could give but our
//   registers do not carry: such a sample is lost.
// - I2C is jumped to by the interpreter, with the return address into the interpreter at sp; it pops it, aligns
//   sp for the compiled callee and pushes it back. rbp is still the interpreted caller's fp then, but nothing
//   here tells that window from C2I's, where rbp is whatever the compiled caller kept in it (C2 allocates it
//   like any register) and may name an interpreted frame further up: taking rbp's frame as the caller would
//   drop the frames between, so a sample in either window is lost, not guessed (a few in 30,000 on Lucene).
// Both leave by a jump; the one call out is C2I's, when the callee got compiled meanwhile: it builds an rbp
// frame (enter()), saves the registers and calls SharedRuntime::fixup_callers_callsite, so below the top (the
// walk came up from that call) the caller is rbp's.
bool adapter_sender(const VmLayout& layout, const StackRange& stack, Frame& frame, bool top) {
    if (!top) return fp_framed_sender(layout, stack, frame);
    return nearest_return_sender(layout, stack, frame, 1);
}

// Runtime stubs (C1's Runtime1 stubs, C2's OptoRuntime stubs, the resolve and ic-miss blobs) and the safepoint,
// deoptimization, uncommon trap and exception blobs call into the VM from a frame of their own, of the blob's
// frame size, complete after frame_complete_offset. Below the top (the thread's anchor points into them) the
// frame is complete and sized. At the top in the prologue (before the frame is complete; C1's stubs say
// "never complete" and build their frame with enter()) the return address is at sp or just above the pushed
// rbp; a stub of C1 without a size is rbp-framed.
bool runtime_stub_sender(const VmLayout& layout, const StackRange& stack, Frame& frame, uintptr_t blob, bool top) {
    int size = code_cache::frame_size_words(layout, blob);
    int complete_offset = code_cache::frame_complete_offset(layout, blob);
    bool complete = complete_offset >= 0 &&
                    frame.pc >= code_cache::code_begin(layout, blob) + static_cast<uintptr_t>(complete_offset);
    if ((complete || !top) && size > 0 && sized_frame_sender(layout, stack, frame, size)) return true;
    // C1's slow_subtype_check pushes the registers it uses before it makes its frame: the return address is the
    // first word a call left, a few words above sp.
    if (top) {
        int pushes = code_cache::blob_name_ends_with(layout, blob, "slow_subtype_check_blob") ? kMaxSubtypeCheckPushes
                                                                                              : kMaxRuntimeStubPushes;
        if (nearest_return_sender(layout, stack, frame, pushes)) return true;
    }
    // C1's stubs build their frame with enter() and call the VM with rbp as the anchor's fp: when the size does
    // not lead to a return address (a stub that pushed more than its recorded size), rbp does.
    return fp_framed_sender(layout, stack, frame);
}

}  // namespace

bool stub_sender(const VmLayout& layout, const StackRange& stack, Frame& frame, uintptr_t blob, CodeKind kind,
                 bool top) {
    switch (kind) {
        case CodeKind::kStubRoutines:
        case CodeKind::kBufferBlob:
            return leaf_stub_sender(layout, stack, frame, top);
        case CodeKind::kVtableStub:
            return dispatch_stub_sender(layout, stack, frame, top);
        case CodeKind::kMethodHandleAdapter:
            return method_handle_adapter_sender(layout, stack, frame, top);
        case CodeKind::kAdapter:
            return adapter_sender(layout, stack, frame, top);
        case CodeKind::kRuntimeStub:
        case CodeKind::kUncommonTrapBlob:
            return runtime_stub_sender(layout, stack, frame, blob, top);
        case CodeKind::kSafepointBlob:
        case CodeKind::kDeoptimizationBlob:
        case CodeKind::kExceptionBlob:
            // Not called but jumped to: the signal handler sends a thread at a safepoint poll into the safepoint
            // blob, a deopt handler jumps into the deoptimization blob, and the exception blob is entered with
            // the pc in a register. Each makes room for its "return address" and fills it in later, so at the
            // top the slot may hold anything, and a guess could skip a Java frame: the walk stops there, named.
            // Below the top (the anchor they set to call the VM) the slot is filled and the frame complete.
            return !top && runtime_stub_sender(layout, stack, frame, blob, top);
        default:
            // An upcall stub's callers are native code (the walk ends there, named); the other kinds are not
            // blobs of the code cache and never come here.
            return false;
    }
}

}  // namespace hotframe
