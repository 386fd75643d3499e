// Signal-safe (lookups). DWARF call-frame rules of one library, reduced to what an x86-64 stack walk needs: for
// each range of code, how to find the canonical frame address (CFA: the caller's stack pointer; the return
// address sits just below it) and where the caller's rbp was saved. Built off the signal path from the
// library's .eh_frame (see native/symbols/eh_frame.h), read by the native stack walk in the signal handler.
#pragma once

#include <stdint.h>

namespace hotframe {

enum UnwindCfaRegister : uint8_t {
    kCfaUnknown = 0,    // no rule here (a gap between functions, or one we do not model): use frame pointers
    kCfaSp = 1,         // CFA = rsp + cfa_offset
    kCfaFp = 2,         // CFA = rbp + cfa_offset
    kCfaOutermost = 3,  // the return address is undefined: the thread's first frame (clone, _start)
};

constexpr int16_t kFpUnchanged = INT16_MIN;  // the function did not save rbp: the caller's is the current one

struct UnwindRow {
    uint32_t offset;  // from UnwindTable::base; the row applies up to the next row's offset
    int32_t cfa_offset;
    int16_t fp_offset;  // the caller's rbp is at CFA + fp_offset, or kFpUnchanged
    uint8_t cfa_register;
};

struct UnwindTable {
    uintptr_t base;  // the library's lowest code address
    uint32_t count;
    const UnwindRow* rows;  // sorted by offset
};

// Signal-safe. The row that applies at `pc`, or nullptr outside the table.
const UnwindRow* find_unwind_row(const UnwindTable& table, uintptr_t pc);

}  // namespace hotframe
