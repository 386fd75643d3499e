// The threads hotframe runs for itself (the aggregator), which the cpu engines do not sample: a profiler that
// samples its own bookkeeping puts itself into every profile it writes (1.9-2.3% of all samples at 1 ms, mostly
// the drain that names frames and the look at /proc for new threads). Their cost is not hidden: the aggregator
// measures its own CPU time and the profiler logs it at stop beside the profile (see Profiler::write_profiles).
// Only the aggregator is registered: the wall engine's thread leaves itself out of wall samples only
// (wall_clock_engine.cpp), and it and the other agent threads ("hf ..." for the kernel) are still cpu-sampled.
#pragma once

#include <sys/types.h>

namespace hotframe {

namespace own_threads {

// The calling thread is one of ours from now on, until remove().
void add(pid_t tid);
void remove(pid_t tid);
bool contains(pid_t tid);

}  // namespace own_threads

}  // namespace hotframe
