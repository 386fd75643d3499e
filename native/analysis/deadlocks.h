// Deadlock detection on a thread dump: cycles of threads each waiting (to enter a monitor, or parked on a
// lock) for a lock the next one holds, as jstack's "Found one Java-level deadlock" reports them.
#pragma once

#include <vector>

#include "native/output/thread_dump.h"

namespace hotframe {

std::vector<Deadlock> find_deadlocks(const ThreadDump& dump);

}  // namespace hotframe
