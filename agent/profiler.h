// One profiling session at a time: a set of engines (native/engines), the signal handler, the rings and the
// aggregator wired together in the order that keeps the JVM safe, and the results written on demand,
// periodically (loop=) and at stop. A thin owner; the work is in native/. docs/ARCHITECTURE.md has the orders.
#pragma once

#include <jni.h>
#include <jvmti.h>
#include <sys/types.h>

#include <condition_variable>
#include <ctime>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "agent/options.h"
#include "agent/vm_walk_check.h"
#include "native/aggregate/aggregator.h"
#include "native/aggregate/class_names.h"
#include "native/aggregate/compiled_methods.h"
#include "native/aggregate/generated_code.h"
#include "native/aggregate/thread_names.h"
#include "native/analysis/pprof.h"
#include "native/engines/alloc_engine.h"
#include "native/engines/lock_engine.h"
#include "native/engines/signal_engine.h"
#include "native/output/output_paths.h"
#include "native/result.h"

namespace hotframe {

class Profiler {
public:
    Profiler(JavaVM* vm, jvmtiEnv* jvmti, const CompiledMethods* compiled, const GeneratedCode* generated_code);
    ~Profiler();

    Status start(const Options& options);
    // Stops sampling and writes the output named by `options` (else the one named at start), one file per
    // event of the session. An output that cannot be written is reported before anything stops; if writing
    // fails after stopping, the samples are kept for a later `dump`. `advice` gets one line when the data calls
    // for it (native/analysis/advice.h), else "".
    Status stop(const Options& options, std::vector<std::string>* written_paths, std::string* advice = nullptr);
    // Ends the running session without writing a file and hands its profiles (one per event) to the caller: the
    // diagnosis (agent/diagnosis_session.h) renders them into a page of its own.
    Status stop_taking_profiles(std::vector<Profile>* profiles);
    // Writes the output without stopping; also works after a stop whose write failed.
    Status dump(const Options& options, std::vector<std::string>* written_paths);
    std::string status();
    bool running();
    // VMDeath: stops and writes the output named at start; no command may start anything afterwards.
    void shut_down();

    // JVMTI ThreadStart, on the thread itself.
    void on_thread_start(jvmtiEnv* jvmti, JNIEnv* jni, jthread thread);

    // For the JVMTI callbacks of the allocation and lock events.
    AllocEngine& alloc_engine() { return alloc_engine_; }
    LockEngine& lock_engine() { return lock_engine_; }

private:
    enum class State { kIdle, kRunning, kStopped };

    // What a session samples with: the signal engines it owns and every engine in the order they start.
    struct SessionEngines {
        std::vector<std::unique_ptr<SignalEngine>> signal;
        std::vector<Engine*> all;
    };

    SessionEngines make_engines(const Options& options);
    AggregationSettings aggregation_settings(const Options& options);
    void begin_session_locked(const Options& options);
    Status start_engines_locked(const Options& options, JNIEnv* jni);
    // The one way a session ends, whether its start failed half-way or it is stopped: every engine disarmed,
    // the handlers in flight waited for, every engine released, the aggregator drained and joined.
    void tear_down_locked(Aggregator* aggregator);
    // Writes the session's profiles; with `advice`, also the advice they call for (see stop()).
    Status write_output_locked(const Options& options, std::vector<std::string>* written_paths,
                               std::string* advice = nullptr);
    // timeout=: a thread that stops session `generation` after `timeout_ns` and writes its output, unless the
    // session ended before.
    void run_timeout(uint64_t generation, uint64_t timeout_ns);
    void join_timeout_thread();
    // Ends the running session without a command (timeout, the JVM's end) and writes the output named at start;
    // a failure to write is logged, and the samples stay for a later dump.
    void end_session_writing_locked(const std::string& why);
    void write_period(const std::vector<Profile>& profiles, const Options& session);
    PprofMetadata metadata_now() const;
    // For a cpu or itimer session that just stopped: the advice its numbers call for.
    std::string advice_locked(const std::vector<Profile>& profiles);

    // cstack=vm: whether the walker over HotSpot's structures runs here, decided by the first session that asks
    // (see vm_walk_check.h) and kept for the JVM's life: handlers read vm_layout_, so it is never rewritten.
    const VmLayout* vm_walker_locked(const Options& options, JNIEnv* jni, int thread_key);
    void log_vm_check_locked();
    void log_own_threads_cpu_locked();

    JavaVM* vm_;
    jvmtiEnv* jvmti_;
    const CompiledMethods* compiled_;
    const GeneratedCode* generated_code_;

    std::mutex control_mutex_;  // one action at a time
    bool vm_walker_checked_ = false;
    VmWalkerCheck vm_walker_;
    VmLayout vm_layout_{};
    bool session_vm_walker_ = false;      // the running session walks Java frames with it
    bool session_empty_handler_ = false;  // HOTFRAME_BENCH_EMPTY_HANDLER: signals counted, no samples taken
    State state_ = State::kIdle;
    bool shut_down_ = false;
    Options session_options_;
    std::time_t started_at_ = 0;
    double started_cpu_seconds_ = 0;  // the process's CPU time when the session started
    uint64_t started_steady_ns_ = 0;
    std::string engine_description_;
    ClassNames class_names_;
    // JVMTI engines live as long as the agent: the JVM keeps calling into them (see jvmti_engine.h).
    AllocEngine alloc_engine_;
    LockEngine lock_engine_;
    std::unique_ptr<Aggregator> aggregator_;
    ThreadNames thread_names_;

    std::mutex write_mutex_;  // dumps by command and by loop= may run at once and must not share a file name
    std::mutex loop_mutex_;   // the loop= series: files for keep=, writes, the last error
    FileRotation loop_files_;
    uint64_t periods_written_ = 0;  // intervals whose every file was written
    uint64_t periods_failed_ = 0;   // intervals with a file that could not be written
    std::string last_loop_error_;

    // The session's timeout thread. Each session that ends bumps the generation, which ends its timeout.
    std::mutex timeout_mutex_;
    std::condition_variable timeout_wake_;
    uint64_t session_generation_ = 0;  // guarded by timeout_mutex_
    std::thread timeout_thread_;       // joined only by holders of control_mutex_ (see run_timeout)

    // Separate from control_mutex_: thread events arrive while an action runs, including the aggregator's
    // own detach while stop() waits for it.
    std::mutex engine_mutex_;
    bool session_active_ = false;  // threads starting now are named (for filters and per-thread roots)
    SessionEngines engines_;
};

}  // namespace hotframe
