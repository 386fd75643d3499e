// A shared library for unwind_test.cpp: the probe functions compiled without frame pointers (see
// test/CMakeLists.txt), so that only DWARF rules can walk through them.
#define PROBE_NAME(part) unwind_probe_##part
#include "unwind_probe_functions.inc"
