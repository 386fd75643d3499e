// The aggregator thread: drains the sample rings every few milliseconds, has each record's frames named
// (record_frame_ids.h: method name and frame kind, native function, kernel symbol) and counts the stack in the
// call-trace table, after the thread filters and with the optional per-thread root. It attaches to the JVM as a
// daemon thread because naming methods goes through JVMTI; doing it soon after the sample keeps names of classes
// that are unloaded later. It also asks the session's signal engines now and then to arm threads that started
// without a JVMTI event, and hands over periodic dumps.
#pragma once

#include <jni.h>
#include <jvmti.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "native/aggregate/call_trace_table.h"
#include "native/aggregate/class_names.h"
#include "native/aggregate/compiled_methods.h"
#include "native/aggregate/generated_code.h"
#include "native/aggregate/profile.h"
#include "native/aggregate/pseudo_frames.h"
#include "native/aggregate/record_frame_ids.h"
#include "native/aggregate/sample_filter.h"
#include "native/aggregate/sample_rings.h"
#include "native/aggregate/thread_names.h"
#include "native/aggregate/thread_print.h"
#include "native/capture/sample_record.h"
#include "native/symbols/native_symbols.h"

namespace hotframe {

// One profile of a session (see EventSlot): its name and the unit of its weights.
struct EventChannel {
    bool enabled = false;
    std::string name;  // "cpu", "wall", "alloc", ...
    std::string unit;  // "ns", "bytes"
};

// What to do with samples besides counting them.
struct AggregationSettings {
    SampleFilter filter;
    bool per_thread = false;              // a "[name tid=N]" root frame per thread
    ThreadNames* thread_names = nullptr;  // required when per_thread or the filter is active
    ClassNames* class_names = nullptr;    // names the leaf class of allocation and lock samples
    EventChannel events[kEventSlotCount];
    // Wall-clock samples (kEventWall): those of threads without Java frames are not counted (skip_thread tells
    // the wall engine, so that it stops signalling them) and each gets the thread's run state as its leaf frame.
    std::function<void(pid_t)> skip_thread;
    // Every second or so: the signal engines arm threads that started without a JVMTI event and release the
    // timers of threads that have gone.
    std::function<void()> refresh_threads;
    // The JVM's own list of its threads (agent/jvm_thread_list.h), for the names of the threads JVMTI does not
    // show. Called on the aggregator thread, outside its lock, when a sample comes from a thread that has no
    // name yet (see ThreadNames::needs_jvm_name) and only where names matter (per_thread or a filter).
    std::function<std::vector<ListedThread>(JNIEnv*)> list_jvm_threads;
    // Native frames: keep the signal handler's view of loaded libraries current (see library_scan.h), with
    // unwind tables for cstack=dwarf.
    bool native_frames = false;
    bool unwind_tables = false;
    const GeneratedCode* generated_code = nullptr;  // names native pcs in the JVM's own code
    // debuginfo=off: native names only from the objects' own tables, never from separate debug files, for output
    // that does not depend on which -dbg packages a machine has.
    bool debug_files = true;
    // sig: C++ frames keep their parameter lists and Java frames their descriptors; otherwise C++ frames are
    // shortened (cpp_names.h) and their full names kept for the HTML tooltip.
    bool signatures = false;
    // lines, or pprof output: Java frames carry the source line of their bci, so that one method's frames on
    // different lines are different frames. Off, a method is one frame whatever its bci.
    bool lines = false;
    // Periodic dumps: every period_ns the samples so far are handed to on_period (on the aggregator thread,
    // which is attached to the JVM), one profile per enabled event, and the table starts empty again. Whether
    // they were written is on_period's business (the aggregator only hands them over).
    uint64_t period_ns = 0;
    std::function<void(std::vector<Profile>)> on_period;
    // memlimit=: what the call-trace table may hold, in bytes (see CallTraceTable); 0 for no limit.
    uint64_t memory_limit = 0;
};

class Aggregator {
public:
    Aggregator(JavaVM* vm, jvmtiEnv* jvmti, const CompiledMethods* compiled, SampleRings* rings,
               AggregationSettings settings);
    ~Aggregator();

    void start();
    // Joins the thread after a last drain. Call after sampling stopped, so that nothing is left in the rings.
    void stop();

    // Drains what is ready and returns everything aggregated so far (since the last period, with loop), one
    // profile per enabled event in EventSlot order. From any JVM-attached thread.
    std::vector<Profile> snapshot();

    uint64_t total_samples();
    uint64_t filtered_out();
    // For status: the table's counted bytes and the samples counted over the limit, this interval.
    uint64_t counted_bytes();
    uint64_t samples_over_limit();

    // What naming Java frames cost (see RecordFrameIds::NamingCost), since the start.
    using NamingCost = RecordFrameIds::NamingCost;
    NamingCost naming_cost();

    // The aggregator thread's CPU time since it started (over its whole run once stop() has returned). Its
    // thread is not sampled (own_threads.h): this is how its cost is told instead.
    uint64_t cpu_nanoseconds() const;

private:
    struct ThreadEntry {
        uint32_t root_frame;
        SampleFilter::NameMatch match;
    };

    void run();
    void hand_over_period();
    void clear_interval_locked();
    std::vector<Profile> profiles_locked() const;
    // Returns the most bytes of records drained from one ring. With `may_pause`, a ring's draining stops at a sample
    // from a thread the JVM's list may name, when a list is due (see jvm_list_due_locked).
    size_t drain_locked(JNIEnv* jni, bool may_pause = false);
    bool jvm_list_due_locked(pid_t tid);
    void name_threads_from_jvm_list(JNIEnv* jni);
    void add_record_locked(JNIEnv* jni, const SampleHeader& header);
    const ThreadEntry& thread_entry_locked(pid_t tid);
    bool passes_filter_locked(pid_t tid);
    bool wall_sample_wanted_locked(const SampleHeader& header);

    JavaVM* vm_;
    SampleRings* rings_;
    AggregationSettings settings_;

    std::mutex mutex_;  // guards everything below and the consumer side of the rings
    CallTraceTable table_;
    PseudoFrameIds pseudo_frame_ids_{&table_};  // "[truncated]", status frames: no string per sample
    RecordFrameIds record_frame_ids_;       // a record's frames as ids of table_, with the caches that name them once
    std::vector<uint32_t> scratch_frames_;  // the stack being built, leaf first
    std::vector<int8_t> frame_matches_;     // per frame id: -1 not yet known, else NameMatch bits
    std::unordered_map<pid_t, ThreadEntry> threads_;
    uint64_t thread_names_generation_ = 0;
    std::unordered_map<pid_t, uint8_t> wall_misses_;  // wall: samples in a row without Java frames, per thread
    uint64_t filtered_out_ = 0;
    // Threads seen without a name since the JVM's list was last fetched, and when it may be fetched again.
    std::unordered_set<pid_t> unnamed_threads_;
    std::chrono::steady_clock::time_point next_jvm_list_{};
    std::chrono::milliseconds jvm_list_gap_{0};

    std::thread thread_;
    std::atomic<uint64_t> run_cpu_ns_{0};      // the thread's CPU time over its run, once it has ended
    std::atomic<uint64_t> started_cpu_ns_{0};  // its CPU clock when it began
    std::atomic<pid_t> tid_{0};                // its kernel id while it runs
    std::mutex wake_mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
};

}  // namespace hotframe
