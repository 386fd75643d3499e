// The verdicts of a diagnosis, symptom first: from what one window collected (native/output/diagnosis_page.h),
// which problem to look at first and the numbers that say so. Deadlocks before memory pressure before lock
// contention before waiting before the hot frame, because each earlier one explains the later ones (threads
// stuck in a deadlock wait; a JVM busy collecting garbage shows GC as its hot frame). Pure functions; every
// threshold is below with the reason for its value.
#pragma once

#include <vector>

#include "native/output/diagnosis_page.h"

namespace hotframe {

// GC pauses: a tenth of the window with the application stopped is a tenth of its throughput gone, and the
// pauses land on request latency; a healthy young-generation collector stays at a few percent.
constexpr double kGcPauseShare = 0.10;
// The old generation after a collection: above this share of its maximum, full collections follow one another
// and the next burst of allocation ends in OutOfMemoryError (the "heap full after GC" sign jstat users watch).
constexpr double kOldGenAfterGcShare = 0.85;
// Allocating the whole maximum heap again every second means young collections back to back: the heap is
// small for the allocation rate, whichever of the two is to blame. That is pressure only once those collections
// cost something: a young collector that keeps up stays at a few percent even at gigabytes a second (the
// regex example on JDK 25: 6.2 GB/s into a 6 GB heap, 1.2% of the window paused), and naming memory first there
// hid the hot frame. At kChurnPauseShare, half the pause threshold, the turnover says where the pauses come from.
constexpr double kHeapTurnoversPerSecond = 1.0;
constexpr double kChurnPauseShare = 0.05;
// Lock waits: when the threads that take part in the work spend a tenth of their time waiting for contended
// locks, a lock is holding the service back, and the lock graph shows where. The share is of the wall time of
// those threads (each thread that ran in the wall samples, or waited for a lock), not of the window: an absolute
// 0.1 thread-seconds per second does not scale with the thread count, and on a Tomcat with 200 request threads
// the Poller alone, waking up through a lock between polls, crossed it and came first while no request thread
// waited at all. A thread that never ran and never waited for a lock (an idle pool) does not dilute the share.
constexpr double kLockWaitShare = 0.10;
// Below this share of the CPUs the process may use, the threads were waiting, not computing (the same
// threshold as the cpu profile's advice, native/analysis/advice.h, which says why).
constexpr double kDiagnosisWaitingCpuShare = 0.20;
// Threads that ran at all but were runnable (running or ready) in less than this share of their wall samples
// spent most of their time waiting, however long the CPU made them queue: a thread computing 2 ms then sleeping
// 48 ms is runnable 4% of the time, or 12% on a machine so busy that 2 ms of CPU take 6. Threads that want the
// CPU all the time (starved on a busy machine) are runnable in nearly all of their samples.
constexpr double kStarvedRunnableShare = 0.50;
// JIT compiler threads above this share of the process's CPU: warm-up or deoptimisation storms, not the
// application (the advice's threshold for the same thing).
constexpr double kJitCpuShare = 0.20;
// A frame below this share of the CPU samples is not worth a verdict of its own.
constexpr double kHotFrameMinShare = 0.10;
// Looking for the hot frame, the walk goes down from the roots while the largest callee holds at least this
// share of its caller: that callee is where most of the caller's time goes, so it is the same piece of work. A
// service's request passes through many frameworks' frames (valves, filters, adapters), each of which splits
// off a little (logging, parsing, recycling) but hands most of its time on; stopping at the first frame whose
// largest callee holds less than three quarters named Tomcat's StandardEngineValve.invoke as the hot frame of a
// JSP compiling regexes, which tells a reader nothing.
constexpr double kHotFrameLargestCallee = 0.5;

std::vector<Verdict> diagnosis_verdicts(const Diagnosis& diagnosis);

// GC time of the window from the collectors that pause the application (G1 Young/Old Generation, PS
// Scavenge, ZGC Pauses, ...), not those that count concurrent cycles (G1 Concurrent GC, ZGC Cycles,
// Shenandoah Cycles), in milliseconds; and the number of those collections.
struct GcPauses {
    int64_t milliseconds = 0;
    int64_t collections = 0;
};
GcPauses gc_pauses(const std::vector<MemoryReport>& series);

// The threads that took part in the window's work: those with a running wall sample or a lock wait, by the
// per-thread root frame of the wall and lock profiles ("[name tid=N]"). The denominator of kLockWaitShare.
size_t working_threads(const Diagnosis& diagnosis);

}  // namespace hotframe
