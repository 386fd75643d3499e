// Micro-benchmark of the native half of the capture path: walk_native_stack from a real signal's context, in
// each cstack mode, on two stacks under the program's main: three nested functions built with frame pointers,
// where both modes walk them (dwarf goes on through libc to _start), and the same built without, where only
// dwarf can. Prints nanoseconds per walk, frames found per walk and nanoseconds per frame. Run by
// `scripts/bench --workload cstack`; not a test.
#include <signal.h>
#include <sys/time.h>
#include <time.h>

#include <atomic>
#include <cstdio>

#include "native/capture/native_stack.h"
#include "native/symbols/library_scan.h"
#include "test/unit/unwind_probe.h"

using namespace hotframe;

namespace {

constexpr int kWalksPerSignal = 2000;
constexpr int kSignals = 20;

struct ModeResult {
    uint64_t nanoseconds = 0;
    uint64_t walks = 0;
    uint64_t frames = 0;
};

ModeResult g_results[2];
std::atomic<int> g_signals{0};
volatile bool g_spinning = true;

uint64_t now_ns() {
    struct timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return static_cast<uint64_t>(time.tv_sec) * 1000000000u + static_cast<uint64_t>(time.tv_nsec);
}

void on_sigprof(int, siginfo_t*, void* ucontext) {
    uintptr_t pcs[256];
    const UnwindMethod methods[] = {UnwindMethod::kFramePointers, UnwindMethod::kDwarf};
    for (int m = 0; m < 2; m++) {
        uint64_t start = now_ns();
        for (int i = 0; i < kWalksPerSignal; i++) {
            NativeWalk walk = walk_native_stack(ucontext, methods[m], false, pcs, 256);
            g_results[m].frames += static_cast<uint64_t>(walk.count);
        }
        g_results[m].nanoseconds += now_ns() - start;
        g_results[m].walks += kWalksPerSignal;
    }
    if (g_signals.fetch_add(1) + 1 >= kSignals) g_spinning = false;
}

void spin(void*) {
    while (g_spinning) {
    }
}

void measure(const char* stack, void (*outer)(UnwindProbeCallback, void*)) {
    for (ModeResult& result : g_results) result = ModeResult{};
    g_signals = 0;
    g_spinning = true;
    struct itimerval timer {};
    timer.it_interval.tv_usec = 20000;
    timer.it_value.tv_usec = 20000;
    setitimer(ITIMER_PROF, &timer, nullptr);
    outer(spin, nullptr);
    timer = {};
    setitimer(ITIMER_PROF, &timer, nullptr);
    const char* names[] = {"fp", "dwarf"};
    for (int m = 0; m < 2; m++) {
        const ModeResult& result = g_results[m];
        double per_walk = static_cast<double>(result.nanoseconds) / static_cast<double>(result.walks);
        double frames = static_cast<double>(result.frames) / static_cast<double>(result.walks);
        std::printf("%-22s cstack=%-5s %7.1f ns per walk, %4.1f frames per walk, %5.1f ns per frame\n", stack, names[m],
                    per_walk, frames, per_walk / frames);
    }
}

}  // namespace

int main() {
    library_scan::refresh(true);
    struct sigaction action {};
    action.sa_sigaction = on_sigprof;
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGPROF, &action, nullptr);
    measure("with frame pointers", fp_probe_outer);
    measure("without frame pointers", unwind_probe_outer);
    return 0;
}
