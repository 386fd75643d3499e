// The same three nested calls as unwind_probe_support.cpp, built with frame pointers (see test/CMakeLists.txt):
// the case where both cstack modes can walk, for the native walk micro-benchmark.
extern "C" {

using UnwindProbeCallback = void (*)(void* argument);

__attribute__((visibility("default"), noinline)) void fp_probe_inner(UnwindProbeCallback callback, void* argument) {
    volatile char pad[48];
    pad[0] = 1;
    callback(argument);
    asm volatile("" ::: "memory");
    pad[1] = pad[0];
}

__attribute__((visibility("default"), noinline)) void fp_probe_middle(UnwindProbeCallback callback, void* argument) {
    volatile char pad[80];
    pad[0] = 2;
    fp_probe_inner(callback, argument);
    asm volatile("" ::: "memory");
    pad[1] = pad[0];
}

__attribute__((visibility("default"), noinline)) void fp_probe_outer(UnwindProbeCallback callback, void* argument) {
    volatile char pad[112];
    pad[0] = 3;
    fp_probe_middle(callback, argument);
    asm volatile("" ::: "memory");
    pad[1] = pad[0];
}
}
