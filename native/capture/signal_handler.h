// The signal entry point of every sampling engine: capture the interrupted thread's stack into a ring and
// return. Two signals lead here: the cpu signal (SIGPROF by default: perf_event overflows, POSIX CPU timers,
// setitimer) and the wall signal (SIGVTALRM by default, queued by the wall-clock engine with the thread's state
// and weight). They must differ: a standard signal does not queue, so a pending wall signal would swallow a
// perf_event overflow, and that thread's one-shot cpu timer, re-armed only by the handler, would stop for good.
// install/configure/accept/quiesce are called from ordinary threads; only the handler runs in signals.
#pragma once

#include <stdint.h>
#include <sys/types.h>

#include "native/capture/ring_buffer.h"
#include "native/capture/sample_counters.h"
#include "native/capture/stack_capture.h"

namespace hotframe {

namespace capture {

struct Wiring {
    RingBuffer* rings;
    uint32_t ring_count;
    StackCaptureContext capture;
    uint64_t weight_per_sample;  // what one cpu sample stands for: ns of CPU time
    int cpu_signal;              // samples of kEventExecution
    int wall_signal;             // samples of kEventWall; its queued signals carry their run state and weight
    // Benchmark hook (HOTFRAME_BENCH_EMPTY_HANDLER): the handler counts each signal, re-arms its timer and returns
    // without a sample, so a benchmark can tell what the signals on hotframe's set of threads cost from what the
    // walk and the record add (scripts/bench, hf-empty).
    bool empty_handler = false;
};

enum class InstallResult { kInstalled, kInUse, kFailed };

// Installs the handler for `signal`, checked at every session's start. It is never taken out again: a signal
// still in flight when profiling stops would otherwise meet the default action and kill the JVM. A signal
// that someone else handles (JDK 25's JFR CPU sampler on SIGPROF, an application's handler) is left alone:
// kInUse, and the caller says so. Ours, replaced by someone since, is not taken back either.
InstallResult install_handler(int signal);

// Sets what the handler writes to. Only while not accepting samples.
void configure(const Wiring& wiring);

// From now on signals produce samples.
void start_accepting();

// Stops producing samples and waits until no handler is still running, so the rings can be drained safely.
void stop_accepting_and_wait();

SampleCounters& counters();

// For producers that are not signal handlers (JVMTI allocation and lock callbacks): the same protocol as the
// handler, so that stop_accepting_and_wait() also waits for them. While the scope lives, claim() gives a
// record to fill (nullptr when sampling is off or the ring is full, which is counted as dropped), and
// commit() publishes it.
class ProducerScope {
public:
    ProducerScope();
    ~ProducerScope();
    ProducerScope(const ProducerScope&) = delete;
    ProducerScope& operator=(const ProducerScope&) = delete;

    bool accepting() const { return accepting_; }
    // The session's stack capture settings (the vm walker's layout among them); read them only while
    // accepting(): they are rewritten only while no producer is accepting.
    const StackCaptureContext& capture_context() const;
    SampleHeader* claim(pid_t tid);
    void commit();

private:
    bool accepting_ = false;
    RingBuffer* ring_ = nullptr;
    SampleHeader* header_ = nullptr;  // the claimed record
    uint64_t position_ = 0;
};

// How many frames a record has room for.
unsigned max_frames();

// The si_value the wall-clock engine sends with the wall signal: the thread's run state and the wall time, in
// ns, that the sample stands for.
uintptr_t wall_signal_value(uint64_t weight_ns, uint8_t thread_state);

}  // namespace capture

}  // namespace hotframe
