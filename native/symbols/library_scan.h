// Off the signal path. Tells the signal handler's native stack walk where library code lies (see
// native/capture/library_code.h) and, for cstack=dwarf, gives each library its unwind table, built from the
// .eh_frame the loader mapped with it.
#pragma once

namespace hotframe {

namespace library_scan {

// Looks at the loaded objects if any was loaded since the last look, or if unwind tables are wanted and some
// library has none yet; otherwise costs one dl_iterate_phdr step. Thread-safe.
void refresh(bool unwind_tables);

}  // namespace library_scan

}  // namespace hotframe
