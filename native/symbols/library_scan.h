// Off the signal path. Tells the signal handler's native stack walk where library code lies (see
// native/capture/library_code.h) and, for cstack=dwarf, gives each library its unwind table, built from the
// .eh_frame the loader mapped with it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hotframe {

namespace library_scan {

// What one refresh did, for the log.
struct RefreshResult {
    unsigned libraries = 0;     // objects looked at (0: nothing had changed)
    unsigned tables_built = 0;  // unwind tables built by this refresh
    uint64_t rows = 0;          // their rows
    uint64_t table_bytes = 0;   // and their memory
    double milliseconds = 0;    // the time it took
};

// Looks at the loaded objects if any was loaded since the last look, or if unwind tables are wanted and some
// library has none yet; otherwise costs one dl_iterate_phdr step. Thread-safe.
RefreshResult refresh(bool unwind_tables);

// The libraries (paths) whose unwind table went past the reader's limits and was read only up to them
// (eh_frame.h), in this process so far, whichever refresh built them: their later functions unwind by frame
// pointers.
std::vector<std::string> cut_tables();

}  // namespace library_scan

}  // namespace hotframe
