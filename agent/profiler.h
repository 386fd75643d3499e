// One profiling session at a time: wires an engine, the signal handler, the rings and the aggregator together
// in the order that keeps the JVM safe, and writes the results (on demand, periodically, at stop). A thin
// owner; the work is in native/.
#pragma once

#include <jni.h>
#include <jvmti.h>
#include <sys/types.h>

#include <ctime>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "agent/alloc_tracer.h"
#include "agent/lock_tracer.h"
#include "agent/options.h"
#include "native/aggregate/aggregator.h"
#include "native/aggregate/class_names.h"
#include "native/aggregate/compiled_methods.h"
#include "native/aggregate/engines/engine.h"
#include "native/aggregate/generated_code.h"
#include "native/aggregate/thread_names.h"
#include "native/analysis/pprof.h"
#include "native/result.h"

namespace hotframe {

// Whether the output named by the options could be written; for failing fast instead of at exit.
Status check_output_path(const Options& options);

class Profiler {
public:
    Profiler(JavaVM* vm, jvmtiEnv* jvmti, const CompiledMethods* compiled, const GeneratedCode* generated_code);
    ~Profiler();

    Status start(const Options& options);
    // Stops sampling and writes the output named by `options` (else the one named at start), one file per
    // event of the session. An output that cannot be written is reported before anything stops; if writing
    // fails after stopping, the samples are kept for a later `dump`.
    Status stop(const Options& options, std::vector<std::string>* written_paths);
    // Writes the output without stopping; also works after a stop whose write failed.
    Status dump(const Options& options, std::vector<std::string>* written_paths);
    std::string status();
    bool running();
    // VMDeath: stops and writes the output named at start; no command may start anything afterwards.
    void shut_down();

    // JVMTI ThreadStart, on the thread itself.
    void on_thread_start(jvmtiEnv* jvmti, JNIEnv* jni, jthread thread);

    // For the JVMTI callbacks of the allocation and lock events.
    AllocTracer& alloc_tracer() { return alloc_tracer_; }
    LockTracer& lock_tracer() { return lock_tracer_; }

private:
    enum class State { kIdle, kRunning, kStopped };

    void stop_sampling_locked();
    Status write_output_locked(const Options& options, std::vector<std::string>* written_paths);
    void write_period(std::vector<Profile> profiles, const Options& session);
    void write_period_file(const Profile& profile, size_t event_count, const Options& session);
    PprofMetadata metadata_now() const;

    JavaVM* vm_;
    jvmtiEnv* jvmti_;
    const CompiledMethods* compiled_;
    const GeneratedCode* generated_code_;

    std::mutex control_mutex_;  // one action at a time
    State state_ = State::kIdle;
    bool shut_down_ = false;
    Options session_options_;
    std::time_t started_at_ = 0;
    std::string engine_description_;
    ClassNames class_names_;
    AllocTracer alloc_tracer_;
    LockTracer lock_tracer_;
    std::unique_ptr<Aggregator> aggregator_;
    ThreadNames thread_names_;

    std::mutex write_mutex_;  // dumps by command and by loop= may run at once and must not share a file name
    std::mutex loop_mutex_;   // the files written by loop=, oldest first, for keep=
    std::deque<std::string> loop_files_;
    std::string last_loop_error_;

    // Separate from control_mutex_: thread events arrive while an action runs, including the aggregator's
    // own detach while stop() waits for it.
    std::mutex engine_mutex_;
    bool session_active_ = false;     // threads starting now are named (for filters and per-thread roots)
    std::unique_ptr<Engine> engine_;  // null when the session has no execution event
};

}  // namespace hotframe
