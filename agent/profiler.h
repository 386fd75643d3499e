// One profiling session at a time: wires an engine, the signal handler, the rings and the aggregator together
// in the order that keeps the JVM safe, and writes the result. A thin owner; the work is in native/.
#pragma once

#include <jni.h>
#include <jvmti.h>
#include <sys/types.h>

#include <ctime>
#include <memory>
#include <mutex>
#include <string>

#include "agent/options.h"
#include "native/aggregate/aggregator.h"
#include "native/aggregate/compiled_methods.h"
#include "native/aggregate/engines/engine.h"
#include "native/result.h"

namespace hotframe {

// Whether the output named by options.file could be written; for failing fast at start instead of at exit.
Status check_output_path(const Options& options);

class Profiler {
  public:
    Profiler(JavaVM* vm, jvmtiEnv* jvmti, const CompiledMethods* compiled);
    ~Profiler();

    Status start(const Options& options);
    // Stops sampling and writes the output named by `options` (falling back to the start options' file).
    Status stop(const Options& options);
    // Writes the output without stopping.
    Status dump(const Options& options);
    std::string status();
    bool running();

    // JVMTI ThreadStart/ThreadEnd, on the thread itself.
    void on_thread_start(pid_t tid);
    void on_thread_end(pid_t tid);

  private:
    void stop_sampling_locked();
    Status write_output_locked(const Options& options);

    JavaVM* vm_;
    jvmtiEnv* jvmti_;
    const CompiledMethods* compiled_;

    std::mutex control_mutex_;  // one action at a time
    Options session_options_;
    std::time_t started_at_ = 0;
    std::string engine_description_;
    std::unique_ptr<Aggregator> aggregator_;

    // Separate from control_mutex_: thread events arrive while an action runs, including the aggregator's
    // own detach while stop() waits for it.
    std::mutex engine_mutex_;
    std::unique_ptr<Engine> engine_;
};

}  // namespace hotframe
