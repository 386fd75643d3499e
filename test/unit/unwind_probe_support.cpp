// A shared library for unwind_test.cpp: three nested calls compiled without frame pointers (see
// test/CMakeLists.txt), each with a stack frame of its own, so that only DWARF rules can walk through them.
// C linkage keeps the names unmangled; the empty asm after each call keeps it from becoming a tail call.
extern "C" {

using UnwindProbeCallback = void (*)(void* argument);

__attribute__((visibility("default"), noinline)) void unwind_probe_inner(UnwindProbeCallback callback, void* argument) {
    volatile char pad[48];
    pad[0] = 1;
    callback(argument);
    asm volatile("" ::: "memory");
    pad[1] = pad[0];
}

__attribute__((visibility("default"), noinline)) void unwind_probe_middle(UnwindProbeCallback callback,
                                                                          void* argument) {
    volatile char pad[80];
    pad[0] = 2;
    unwind_probe_inner(callback, argument);
    asm volatile("" ::: "memory");
    pad[1] = pad[0];
}

__attribute__((visibility("default"), noinline)) void unwind_probe_outer(UnwindProbeCallback callback, void* argument) {
    volatile char pad[112];
    pad[0] = 3;
    unwind_probe_middle(callback, argument);
    asm volatile("" ::: "memory");
    pad[1] = pad[0];
}
}
