// Signal-safe (enter/leave/recover). Recovers from a SIGSEGV or SIGBUS raised inside the sampler, typically
// inside AsyncGetCallTrace walking a stack the JVM was changing under it, instead of letting it kill the JVM.
//
// A sampler that wants protection registers a sigjmp_buf for its thread; our SIGSEGV/SIGBUS handler looks the
// faulting thread up and, if it is registered, jumps back to the sampler. Every other fault (HotSpot uses
// SIGSEGV for implicit null checks and safepoint polls) is passed on to the handler that was installed before
// ours, exactly as if we were not there.
#pragma once

#include <setjmp.h>
#include <sys/types.h>

#include <cstdint>

namespace hotframe {

namespace fault_guard {

// Installs the SIGSEGV/SIGBUS handlers once, remembering the previous ones to chain to. Not signal-safe.
// Call after the JVM has installed its own handlers (from VMInit or later). Returns false if sigaction failed.
bool install();

// Not signal-safe; call before the first guarded walk. A fault at `fault_pc` inside a guard resumes at
// `continuation_pc` instead of jumping out: HotSpot's SafeFetch probes, which AsyncGetCallTrace uses to test
// a pointer, fault on purpose and expect HotSpot's handler to do exactly that (a jump would end a sample that
// HotSpot would have walked, and skip the clean-up of AsyncGetCallTrace's own state). Outside a guard such a
// fault goes to HotSpot's handler as every other. Returns false when the table (kResumableFaults) is full.
constexpr int kResumableFaults = 4;
bool add_resumable_fault(uintptr_t fault_pc, uintptr_t continuation_pc);

// Signal-safe. Registers `jump` as this thread's recovery point; returns false if the guard table is full or
// the thread is inside a guard already (a signal that interrupted guarded code), in which case the caller must
// not run the risky code.
bool enter(pid_t tid, sigjmp_buf* jump);

// Signal-safe. Unregisters the thread. Call after the guarded code returned or after recovery.
void leave(pid_t tid);

// Signal-safe. After siglongjmp returned to the recovery point: unblocks SIGSEGV/SIGBUS, which stay blocked
// because we left their handler by a jump rather than a return.
void after_recovery();

// Signal-safe. after_recovery() for guarded code that is not inside a signal handler (a JVMTI callback's walk):
// the fault handler ran with SIGPROF blocked too, and only a handler's return would have restored it; this
// unblocks it as well (the threads that walk so have it unblocked otherwise). Costs no system call on the path
// without a fault, unlike a sigsetjmp that saves the mask.
void after_recovery_outside_handler();

// Signal-safe. In the recovery branch, before leave(): where the thread's guarded code faulted (the faulting
// instruction and the address it touched), for vmcheck's log. False if the thread holds no guard.
bool recovered_fault(pid_t tid, uintptr_t* pc, uintptr_t* address);

}  // namespace fault_guard

}  // namespace hotframe
