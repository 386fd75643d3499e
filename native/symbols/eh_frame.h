// Off the signal path. Reads a library's DWARF call-frame information (.eh_frame, found through the
// .eh_frame_hdr segment the loader maps) and reduces it to the rows the signal handler's stack walk needs (see
// native/capture/unwind_table.h): per code range, the CFA as rsp or rbp plus an offset, and where rbp was saved.
// Rules it does not model (DWARF expressions, CFA in other registers) become kCfaUnknown rows, where the walk
// falls back to frame pointers.
#pragma once

#include <cstdint>
#include <vector>

#include "native/capture/unwind_table.h"
#include "native/symbols/loaded_objects.h"

namespace hotframe {

// The rows for the code in [low, high), sorted, offsets from `low`. Only FDEs listed in the header's binary
// search table are read, and only inside `mapped` (the library's loaded segments: the reader runs in the JVM's
// process without a fault guard), so a damaged section cannot make it run off its end. Empty if the header is of a form
// we do not read. `within_limits`, if given, says whether the table was read whole: one that would cost more
// work or rows than any real one is read up to its limits.
std::vector<UnwindRow> read_unwind_rows(const uint8_t* eh_frame_hdr, uintptr_t low, uintptr_t high,
                                        const std::vector<MappedRange>& mapped, bool* within_limits = nullptr);

// UnwindTable::page_first_row for `rows` (sorted by offset): for each 4 KB page of code up to the last row's,
// the index of the first row at or after the page's start.
std::vector<uint32_t> unwind_page_index(const UnwindRow* rows, uint32_t count);

// read_unwind_rows, as a table allocated for good with its page index (nullptr when empty).
const UnwindTable* build_unwind_table(const uint8_t* eh_frame_hdr, uintptr_t low, uintptr_t high,
                                      const std::vector<MappedRange>& mapped, bool* within_limits = nullptr);

}  // namespace hotframe
