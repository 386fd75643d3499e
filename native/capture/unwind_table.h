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

// A table's rows are found through a page index: for each 4 KB of code from `base`, the first row at or after
// the page's start. A lookup then searches the rows of one page (tens) instead of all of them (libjvm has
// about 200,000, and a C2 compiler thread's stack is tens of frames of it: each full search was 18 steps, most
// of them cache misses).
constexpr unsigned kUnwindPageShift = 12;

struct UnwindTable {
    uintptr_t base;  // the library's lowest code address
    uint32_t count;
    const UnwindRow* rows;  // sorted by offset
    // page_first_row[p]: the index of the first row whose offset is >= p << kUnwindPageShift; `pages` entries
    // (every page up to the last row's; built by unwind_page_index in eh_frame.h). Null: no index (search all rows).
    const uint32_t* page_first_row = nullptr;
    uint32_t pages = 0;
};

// Signal-safe. The row that applies at `pc`, or nullptr outside the table.
const UnwindRow* find_unwind_row(const UnwindTable& table, uintptr_t pc);

}  // namespace hotframe
