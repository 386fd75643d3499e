#include "native/capture/fault_guard.h"

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <ucontext.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>

using namespace hotframe;

namespace {

// Stands in for the JVM's own SIGSEGV handler, installed before the guard: faults that are not the
// sampler's must reach it.
sigjmp_buf g_previous_handler_jump;
volatile sig_atomic_t g_previous_handler_calls = 0;

void previous_handler(int, siginfo_t*, void*) {
    g_previous_handler_calls = g_previous_handler_calls + 1;
    siglongjmp(g_previous_handler_jump, 1);
}

void fault() { *static_cast<volatile int*>(nullptr) = 1; }

// A probe shaped like HotSpot's static SafeFetch32 (safefetch_linux_x86_64.S): a load that may fault, and a
// continuation that returns the caller's error value instead. Labels only, as in libjvm.
extern "C" int guard_probe_fetch32(const int* address, int error_value);
extern "C" char guard_probe_fetch32_fault[];
extern "C" char guard_probe_fetch32_continuation[];
asm(R"(
    .pushsection .text
    .globl guard_probe_fetch32
    .globl guard_probe_fetch32_fault
    .globl guard_probe_fetch32_continuation
    .type guard_probe_fetch32, @function
guard_probe_fetch32:
guard_probe_fetch32_fault:
    movl (%rdi), %eax
    ret
guard_probe_fetch32_continuation:
    movl %esi, %eax
    ret
    .size guard_probe_fetch32, .-guard_probe_fetch32
    .popsection
)");

// Stands in for HotSpot's handler, installed before the guard: resumes the probe's faults as HotSpot's does,
// counting them.
volatile sig_atomic_t g_probe_faults_resumed_before_us = 0;

void resume_probe_as_hotspot(int, siginfo_t*, void* context) {
    auto* registers = &static_cast<ucontext_t*>(context)->uc_mcontext;
    if (registers->gregs[REG_RIP] != reinterpret_cast<greg_t>(guard_probe_fetch32_fault)) abort();
    registers->gregs[REG_RIP] = reinterpret_cast<greg_t>(guard_probe_fetch32_continuation);
    g_probe_faults_resumed_before_us = g_probe_faults_resumed_before_us + 1;
}

// Makes `handler` the SIGSEGV handler the guard will find and chain to. The guard is installed once per process
// (each test case runs in its own under ctest), so only the first test case to install it sets what it chains to.
bool install_before_guard(void (*handler)(int, siginfo_t*, void*)) {
    struct sigaction action;
    std::memset(&action, 0, sizeof(action));
    action.sa_sigaction = handler;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    return sigaction(SIGSEGV, &action, nullptr) == 0;
}

}  // namespace

TEST_CASE("the fault guard recovers guarded faults and passes on all others", "[fault_guard]") {
    REQUIRE(install_before_guard(previous_handler));
    REQUIRE(fault_guard::install());
    pid_t tid = gettid();

    // A guarded fault comes back to the recovery point, several times in a row (the mask is restored).
    for (int i = 0; i < 3; i++) {
        static sigjmp_buf recovery;
        volatile bool recovered = false;
        if (sigsetjmp(recovery, 0) == 0) {
            REQUIRE(fault_guard::enter(tid, &recovery));
            fault();
        } else {
            fault_guard::after_recovery();
            fault_guard::leave(tid);
            recovered = true;
        }
        CHECK(recovered);
    }
    CHECK(g_previous_handler_calls == 0);

    // An unguarded fault goes to the handler that was there before.
    if (sigsetjmp(g_previous_handler_jump, 1) == 0) fault();
    CHECK(g_previous_handler_calls == 1);

    // After leave(), the thread is no longer guarded.
    static sigjmp_buf recovery;
    if (sigsetjmp(recovery, 0) == 0) {
        REQUIRE(fault_guard::enter(tid, &recovery));
        fault_guard::leave(tid);
        if (sigsetjmp(g_previous_handler_jump, 1) == 0) fault();
    }
    CHECK(g_previous_handler_calls == 2);
}

TEST_CASE("a probe's fault inside a guard resumes at its continuation; other faults still jump out", "[fault_guard]") {
    REQUIRE(install_before_guard(resume_probe_as_hotspot));
    REQUIRE(fault_guard::install());
    pid_t tid = gettid();
    int readable = 42;
    CHECK(guard_probe_fetch32(&readable, -1) == 42);
    auto fault_pc = reinterpret_cast<uintptr_t>(guard_probe_fetch32_fault);
    auto continuation_pc = reinterpret_cast<uintptr_t>(guard_probe_fetch32_continuation);
    REQUIRE(fault_guard::add_resumable_fault(fault_pc, continuation_pc));

    // Outside a guard the probe's fault is not ours: it goes to the handler that was there before.
    CHECK(guard_probe_fetch32(nullptr, -5) == -5);
    CHECK(g_probe_faults_resumed_before_us == 1);

    static sigjmp_buf recovery;
    static volatile int fetched = 0;
    static volatile bool jumped = false;
    static uintptr_t jumped_from = 0, touched = 1;
    if (sigsetjmp(recovery, 0) == 0) {
        REQUIRE(fault_guard::enter(tid, &recovery));
        // Without the registration this fault would jump to `recovery`, as a broken walk's does.
        fetched = guard_probe_fetch32(nullptr, -7);
        fetched = fetched + guard_probe_fetch32(&readable, 0);
        fault();  // not a probe: the guard jumps out as before
    } else {
        fault_guard::after_recovery();
        jumped = true;
        CHECK(fault_guard::recovered_fault(tid, &jumped_from, &touched));
    }
    fault_guard::leave(tid);
    CHECK(fetched == -7 + 42);
    CHECK(jumped);
    CHECK(touched == 0);  // fault() writes to address 0
    CHECK(jumped_from != 0);
    CHECK(jumped_from != fault_pc);
    CHECK(g_probe_faults_resumed_before_us == 1);  // the guarded probe's fault was resumed by the guard itself

    // Registering a probe again (a second session's start) takes no second entry; the table has room for
    // kResumableFaults.
    REQUIRE(fault_guard::add_resumable_fault(fault_pc, continuation_pc));
    for (uintptr_t other = 1; other < fault_guard::kResumableFaults; other++) {
        CHECK(fault_guard::add_resumable_fault(other, other + 1));
    }
    CHECK_FALSE(fault_guard::add_resumable_fault(fault_guard::kResumableFaults, 0));
}

TEST_CASE("a thread inside a guard cannot enter a second one (a signal that interrupted guarded code)",
          "[fault_guard]") {
    pid_t tid = gettid();
    sigjmp_buf outer, inner;
    REQUIRE(fault_guard::enter(tid, &outer));
    // The inner guard is refused, so its leave() cannot free the outer one, nor a fault jump into its frame.
    CHECK_FALSE(fault_guard::enter(tid, &inner));
    fault_guard::leave(tid);
    // Once left, the thread may enter again.
    CHECK(fault_guard::enter(tid, &inner));
    fault_guard::leave(tid);
}

TEST_CASE("recovering outside a signal handler unblocks SIGPROF, which the fault handler blocked", "[fault_guard]") {
    REQUIRE(fault_guard::install());
    pid_t tid = gettid();
    auto prof_blocked = [] {
        sigset_t now;
        pthread_sigmask(SIG_BLOCK, nullptr, &now);
        return sigismember(&now, SIGPROF) == 1;
    };
    // The tests above recover with after_recovery() outside a handler too, which leaves SIGPROF blocked.
    sigset_t prof;
    sigemptyset(&prof);
    sigaddset(&prof, SIGPROF);
    pthread_sigmask(SIG_UNBLOCK, &prof, nullptr);
    REQUIRE_FALSE(prof_blocked());
    // after_recovery() alone leaves SIGPROF blocked: inside a sample signal's handler, the handler's return
    // restores it; a JVMTI callback has no such return.
    static sigjmp_buf first;
    if (sigsetjmp(first, 0) == 0) {
        REQUIRE(fault_guard::enter(tid, &first));
        fault();
    }
    fault_guard::after_recovery();
    fault_guard::leave(tid);
    CHECK(prof_blocked());
    pthread_sigmask(SIG_UNBLOCK, &prof, nullptr);

    static sigjmp_buf second;
    if (sigsetjmp(second, 0) == 0) {
        REQUIRE(fault_guard::enter(tid, &second));
        fault();
    }
    fault_guard::after_recovery_outside_handler();
    fault_guard::leave(tid);
    CHECK_FALSE(prof_blocked());
}

TEST_CASE("threads whose ids share a slot each get their own, up to the probe length", "[fault_guard]") {
    // Ids 256 apart share a hint: eight of them fit in the slots after it, a ninth finds none and must not walk.
    const pid_t first = 1000003;
    sigjmp_buf jumps[9];
    for (int i = 0; i < 8; i++) REQUIRE(fault_guard::enter(first + 256 * i, &jumps[i]));
    CHECK_FALSE(fault_guard::enter(first + 256 * 8, &jumps[8]));
    // Each one is still found as inside its guard, and leaving one frees a slot for the ninth.
    for (int i = 0; i < 8; i++) CHECK_FALSE(fault_guard::enter(first + 256 * i, &jumps[8]));
    fault_guard::leave(first + 256 * 3);
    CHECK(fault_guard::enter(first + 256 * 8, &jumps[8]));
    fault_guard::leave(first + 256 * 8);
    for (int i = 0; i < 8; i++) {
        if (i != 3) fault_guard::leave(first + 256 * i);
    }
    // All free again.
    for (int i = 0; i < 9; i++) {
        CHECK(fault_guard::enter(first + 256 * i, &jumps[i]));
        if (i < 8) fault_guard::leave(first + 256 * i);
    }
    fault_guard::leave(first + 256 * 8);
}
