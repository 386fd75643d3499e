// The same probe functions built with frame pointers (see test/CMakeLists.txt): the case where both cstack
// modes can walk, for the native walk micro-benchmark.
#define PROBE_NAME(part) fp_probe_##part
#include "unwind_probe_functions.inc"
