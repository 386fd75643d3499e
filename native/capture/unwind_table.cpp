// Signal-safe (find_unwind_row): a search over a table that never changes once published.
#include "native/capture/unwind_table.h"

namespace hotframe {

const UnwindRow* find_unwind_row(const UnwindTable& table, uintptr_t pc) {
    if (pc < table.base || table.count == 0) return nullptr;
    uintptr_t distance = pc - table.base;
    if (distance > UINT32_MAX) return nullptr;
    auto offset = static_cast<uint32_t>(distance);
    // The answer is the last row whose offset is <= the pc's: found as the first row above it, minus one.
    uint32_t low = 0, high = table.count;
    if (table.page_first_row != nullptr && table.pages != 0) {
        uint32_t page = offset >> kUnwindPageShift;
        if (page >= table.pages) {
            low = table.count;  // past the last row's page: the last row applies
        } else {
            // Rows before this page's first are all <= the pc's offset; from the next page's first on, all above.
            low = table.page_first_row[page];
            if (page + 1 < table.pages) high = table.page_first_row[page + 1];
        }
    }
    while (low < high) {
        uint32_t middle = low + (high - low) / 2;
        if (table.rows[middle].offset <= offset) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    return low == 0 ? nullptr : &table.rows[low - 1];
}

}  // namespace hotframe
