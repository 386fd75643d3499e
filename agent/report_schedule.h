// Thread dumps and memory reports on a schedule: every loop= interval (a thread dump per file, with keep=; a
// memory time series of one JSON line per interval appended to one file), and once when the JVM ends (the
// `atexit` word; written from JVMTI VMDeath, not the C atexit). Each periodic report runs on its own daemon
// thread attached to the JVM, since collecting goes through JVMTI/JNI.
#pragma once

#include <jni.h>
#include <jvmti.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "agent/options.h"
#include "agent/reports.h"
#include "native/output/output_paths.h"
#include "native/result.h"

namespace hotframe {

class ReportSchedule {
public:
    ReportSchedule(JavaVM* vm, jvmtiEnv* jvmti) : vm_(vm), jvmti_(jvmti) {}
    ~ReportSchedule();

    Status start_loop(ReportKind kind, const Options& options);
    Status stop_loop(ReportKind kind);
    Status set_at_exit(ReportKind kind, const Options& options);
    // VMDeath, on the thread that runs it: ends the loops and writes the reports asked for at exit.
    void on_vm_death(JNIEnv* jni);
    std::string status();

private:
    struct Loop {
        Options options;
        std::thread thread;
        std::mutex mutex;
        std::condition_variable wake;
        bool stopping = false;
        uint64_t written = 0;
        FileRotation files;  // thread dumps written, for keep=
        std::string last_error;
    };

    void run_loop(ReportKind kind, Loop* loop);
    void write_once(JNIEnv* jni, ReportKind kind, Loop* loop);
    static void stop(std::unique_ptr<Loop>& loop);

    JavaVM* vm_;
    jvmtiEnv* jvmti_;
    std::mutex mutex_;
    std::unique_ptr<Loop> loops_[2];
    std::optional<Options> at_exit_[2];
    bool shut_down_ = false;
};

}  // namespace hotframe
