// Thread sampling (the `sample` action): for the threads whose names match include= (or the one with the
// kernel id tid=), take each one's state and stack every interval for a duration, then write a per-thread
// histogram of stacks with the share of time in each java.lang.Thread.State (text), and a flame graph with one
// tower per thread (HTML). Unlike CPU sampling it sees threads that wait: it asks JVMTI at each tick, which
// costs a safepoint-free handshake per thread and so suits a handful of threads, not thousands.
#pragma once

#include <jni.h>
#include <jvmti.h>

#include <string>

#include "agent/background_window.h"
#include "agent/options.h"
#include "native/result.h"

namespace hotframe {

class ThreadSamplingWindow {
public:
    ThreadSamplingWindow(JavaVM* vm, jvmtiEnv* jvmti)
        : vm_(vm), jvmti_(jvmti), window_("thread sampling", "a thread sampling window is already running") {}

    // Starts a sampling window in the background; the report is written when it ends.
    Status start(const Options& options);
    std::string status() { return window_.status(); }
    // VMDeath: ends a running window early (its report is still written) and refuses new ones.
    void shut_down() { window_.shut_down(); }

private:
    // The window's thread: samples until the deadline or a cancel, writes the report, returns what status says.
    std::string run(const Options& options);

    JavaVM* vm_;
    jvmtiEnv* jvmti_;
    BackgroundWindow window_;
};

}  // namespace hotframe
