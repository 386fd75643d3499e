// Signal-safe: runs inside SIGSEGV/SIGBUS handlers and inside the SIGPROF handler.
#include "native/capture/fault_guard.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#include <atomic>

namespace hotframe {

namespace fault_guard {

namespace {

// At most this many threads can be inside a guarded region at once. A region lasts one stack walk, and
// samplers on this many threads at the same instant would mean a machine with more cores than that.
constexpr int kSlotCount = 256;
// A thread's slot is one of the kProbeLength slots from its hint, never further: looking a thread up (every
// enter, leave and fault) reads those few slots, one or two cache lines, instead of the whole table. Eight
// threads whose hints lie within eight slots of this one's would have to be inside a walk at the same instant
// for it to find no slot; it then goes without the walk, as when the table is full, and the sample says
// [vm_walk_fault] or [agct_fault] like a walk that faulted.
constexpr int kProbeLength = 8;

struct GuardSlot {
    std::atomic<pid_t> tid;
    sigjmp_buf* jump;
    // Where the last fault of the thread holding the slot was, for recovered_fault(); written by that thread.
    uintptr_t fault_pc;
    uintptr_t fault_address;
};

GuardSlot g_slots[kSlotCount];
std::atomic<int> g_active_count{0};
struct sigaction g_previous_segv;
struct sigaction g_previous_bus;
std::atomic<bool> g_installed{false};

// add_resumable_fault's pairs. A pair is published by its count, after both pcs are stored.
struct ResumableFault {
    std::atomic<uintptr_t> fault_pc;
    std::atomic<uintptr_t> continuation_pc;
};
ResumableFault g_resumable[kResumableFaults];
std::atomic<int> g_resumable_count{0};

// Where a fault at `pc` resumes, or 0 if it is not one that resumes.
uintptr_t continuation_for(uintptr_t pc) {
    int count = g_resumable_count.load(std::memory_order_acquire);
    for (int i = 0; i < count; i++) {
        if (g_resumable[i].fault_pc.load(std::memory_order_relaxed) == pc) {
            return g_resumable[i].continuation_pc.load(std::memory_order_relaxed);
        }
    }
    return 0;
}

int slot_hint(pid_t tid) { return static_cast<int>(static_cast<unsigned>(tid) % kSlotCount); }

int find_slot(pid_t tid) {
    int start = slot_hint(tid);
    for (int i = 0; i < kProbeLength; i++) {
        int index = (start + i) % kSlotCount;
        if (g_slots[index].tid.load(std::memory_order_acquire) == tid) return index;
    }
    return -1;
}

// Hands a fault that is not ours to whoever handled it before us. A default action is re-armed and the fault
// re-raised on return, so the JVM dies exactly as it would have without us.
void chain(int signo, siginfo_t* info, void* context) {
    const struct sigaction& previous = signo == SIGBUS ? g_previous_bus : g_previous_segv;
    if (previous.sa_flags & SA_SIGINFO) {
        if (previous.sa_sigaction != nullptr) {
            previous.sa_sigaction(signo, info, context);
            return;
        }
    } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
        previous.sa_handler(signo);
        return;
    }
    struct sigaction restore;
    memset(&restore, 0, sizeof(restore));
    restore.sa_handler = SIG_DFL;
    sigemptyset(&restore.sa_mask);
    sigaction(signo, &restore, nullptr);
}

void on_fault(int signo, siginfo_t* info, void* context) {
    // Most faults in a JVM are HotSpot's own (safepoint polls, implicit null checks): keep their path short.
    if (g_active_count.load(std::memory_order_acquire) > 0) {
        int index = find_slot(static_cast<pid_t>(gettid()));
        if (index >= 0 && g_slots[index].jump != nullptr) {
            // A probe that faults on purpose: resume it where HotSpot's handler would (SafeFetch's continuation
            // returns the caller's error value in place of the load that faulted).
            auto* registers = &static_cast<ucontext_t*>(context)->uc_mcontext;
            auto pc = static_cast<uintptr_t>(registers->gregs[REG_RIP]);
            uintptr_t continuation = continuation_for(pc);
            if (continuation != 0) {
                registers->gregs[REG_RIP] = static_cast<greg_t>(continuation);
                return;
            }
            g_slots[index].fault_pc = pc;
            g_slots[index].fault_address = reinterpret_cast<uintptr_t>(info->si_addr);
            siglongjmp(*g_slots[index].jump, 1);
        }
    }
    chain(signo, info, context);
}

bool install_one(int signo, struct sigaction* previous) {
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_sigaction = on_fault;
    action.sa_flags = SA_SIGINFO | SA_RESTART | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    // HotSpot's handler, which we chain to, expects to run with SIGPROF blocked, as it installs itself.
    sigaddset(&action.sa_mask, SIGPROF);
    return sigaction(signo, &action, previous) == 0;
}

}  // namespace

bool install() {
    if (g_installed.load()) return true;
    // Installed once for the life of the process: another library may chain to us after this, so taking our
    // handler out again could cut it off.
    if (!install_one(SIGSEGV, &g_previous_segv)) return false;
    if (!install_one(SIGBUS, &g_previous_bus)) {
        sigaction(SIGSEGV, &g_previous_segv, nullptr);
        return false;
    }
    g_installed.store(true);
    return true;
}

bool add_resumable_fault(uintptr_t fault_pc, uintptr_t continuation_pc) {
    int count = g_resumable_count.load(std::memory_order_acquire);
    for (int i = 0; i < count; i++) {
        if (g_resumable[i].fault_pc.load(std::memory_order_relaxed) == fault_pc) return true;  // a second start
    }
    if (count >= kResumableFaults) return false;
    g_resumable[count].fault_pc.store(fault_pc, std::memory_order_relaxed);
    g_resumable[count].continuation_pc.store(continuation_pc, std::memory_order_relaxed);
    g_resumable_count.store(count + 1, std::memory_order_release);
    return true;
}

bool enter(pid_t tid, sigjmp_buf* jump) {
    // One guard per thread at a time. A sample signal can arrive while the thread is inside a guard already (a
    // JVMTI callback walking from its anchor, or the wall handler when the cpu signal comes): a second slot for
    // the same thread would be found by leave() and on_fault() in place of the first, so the inner leave() would
    // free the outer guard and an inner fault would jump into the outer frame. The inner one does without.
    if (find_slot(tid) >= 0) return false;
    int start = slot_hint(tid);
    for (int i = 0; i < kProbeLength; i++) {
        int index = (start + i) % kSlotCount;
        pid_t expected = 0;
        if (g_slots[index].tid.compare_exchange_strong(expected, tid, std::memory_order_acq_rel)) {
            g_slots[index].jump = jump;
            std::atomic_signal_fence(std::memory_order_seq_cst);
            g_active_count.fetch_add(1, std::memory_order_acq_rel);
            return true;
        }
    }
    return false;
}

void leave(pid_t tid) {
    int index = find_slot(tid);
    if (index < 0) return;
    g_slots[index].jump = nullptr;
    g_slots[index].tid.store(0, std::memory_order_release);
    g_active_count.fetch_sub(1, std::memory_order_acq_rel);
}

void after_recovery() {
    sigset_t faults;
    sigemptyset(&faults);
    sigaddset(&faults, SIGSEGV);
    sigaddset(&faults, SIGBUS);
    pthread_sigmask(SIG_UNBLOCK, &faults, nullptr);
}

void after_recovery_outside_handler() {
    after_recovery();
    // Also what the fault handler's own mask added (install_one): outside a sample signal's handler no handler
    // return restores it, and a thread left with SIGPROF blocked would never be sampled again.
    sigset_t handler_mask;
    sigemptyset(&handler_mask);
    sigaddset(&handler_mask, SIGPROF);
    pthread_sigmask(SIG_UNBLOCK, &handler_mask, nullptr);
}

bool recovered_fault(pid_t tid, uintptr_t* pc, uintptr_t* address) {
    int index = find_slot(tid);
    if (index < 0) return false;
    *pc = g_slots[index].fault_pc;
    *address = g_slots[index].fault_address;
    return true;
}

}  // namespace fault_guard

}  // namespace hotframe
