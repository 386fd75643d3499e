// Signal-safe: a binary search over a table that never changes once published.
#include "native/capture/unwind_table.h"

namespace hotframe {

const UnwindRow* find_unwind_row(const UnwindTable& table, uintptr_t pc) {
    if (pc < table.base || table.count == 0) return nullptr;
    uintptr_t distance = pc - table.base;
    if (distance > UINT32_MAX) return nullptr;
    auto offset = static_cast<uint32_t>(distance);
    // The last row whose offset is <= the pc's.
    uint32_t low = 0, high = table.count;
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
