// A shared library for unwind_test.cpp: the probe functions compiled without frame pointers (see
// test/CMakeLists.txt), so that only DWARF rules can walk through them.
#define PROBE_NAME(part) unwind_probe_##part
#include "unwind_probe_functions.inc"

// A function whose epilogue pops rbp before its last instruction and, as GCC does, says so in its CFI only by
// moving the CFA back to rsp + 8 (the rule for rbp stays "saved at CFA - 16"). unwind_probe_epilogue_tail is
// the pc after the pop, for a walk from a context made by hand.
asm(R"(
    .text
    .globl unwind_probe_epilogue
    .type unwind_probe_epilogue, @function
    .globl unwind_probe_epilogue_tail
    .type unwind_probe_epilogue_tail, @function
unwind_probe_epilogue:
    .cfi_startproc
    push %rbp
    .cfi_def_cfa_offset 16
    .cfi_offset %rbp, -16
    mov %rsp, %rbp
    .cfi_def_cfa_register %rbp
    xor %eax, %eax
    pop %rbp
    .cfi_def_cfa %rsp, 8
unwind_probe_epilogue_tail:
    add $1, %eax
    ret
    .cfi_endproc
    .size unwind_probe_epilogue, .-unwind_probe_epilogue
)");
