// The unwind probe library (unwind_probe_support.cpp, unwind_probe_fp_support.cpp, unwind_probe_functions.inc):
// three nested calls ending in a callback, built without frame pointers (unwind_probe_*) and with them
// (fp_probe_*), for the native stack walk's tests and its micro-benchmark, and a function in assembly whose
// epilogue pops rbp early (unwind_probe_epilogue).
#pragma once

extern "C" {

using UnwindProbeCallback = void (*)(void* argument);

void unwind_probe_inner(UnwindProbeCallback callback, void* argument);
void unwind_probe_middle(UnwindProbeCallback callback, void* argument);
void unwind_probe_outer(UnwindProbeCallback callback, void* argument);

void fp_probe_inner(UnwindProbeCallback callback, void* argument);
void fp_probe_middle(UnwindProbeCallback callback, void* argument);
void fp_probe_outer(UnwindProbeCallback callback, void* argument);

// unwind_probe_support.cpp: an epilogue that pops rbp before its last instruction; the pc after the pop.
int unwind_probe_epilogue();
void unwind_probe_epilogue_tail();  // a label inside it, typed as a function to be linked to
}
