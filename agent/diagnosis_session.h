// The `diagnose` action: one window that collects at once cpu, wall, alloc and lock samples (a profiler
// session with per-thread roots), the memory pools and collectors once a second, every Java thread's state ten
// times a second (JVMTI GetThreadState: no stack walks, which would stop a 200-thread service on every tick),
// each thread's CPU time from the kernel, and one thread dump at the end. Then it draws the verdicts
// (native/analysis/diagnosis_verdicts.h), writes one HTML page (native/output/diagnosis_page.h) and prints the
// summary: on stderr, and for the launcher into REPLY.end when reply= was given.
#pragma once

#include <jni.h>
#include <jvmti.h>

#include <string>

#include "agent/background_window.h"
#include "agent/options.h"
#include "agent/profiler.h"
#include "native/result.h"

namespace hotframe {

class DiagnosisSession {
public:
    DiagnosisSession(JavaVM* vm, jvmtiEnv* jvmti, Profiler* profiler)
        : vm_(vm), jvmti_(jvmti), profiler_(profiler), window_("diagnosis", "a diagnosis is already running") {}

    // Starts the profiler session and the window's thread; the page is written when the window ends. `page`
    // gets the page's path pattern.
    Status start(const Options& options, std::string* page);
    std::string status() { return window_.status(); }
    // While a window runs, the profiler session is the diagnosis's: start, stop and dump are refused (a stop
    // would write its profiles as a flame graph and leave the page empty; a new session would be taken by the
    // window's end and never written).
    bool running() const { return window_.running(); }
    // VMDeath: ends a running window early (its page is still written) and refuses new ones. Must run before
    // the profiler's own shut_down, which would otherwise write the session's profiles as files.
    void shut_down() { window_.shut_down(); }

private:
    // The window's thread: collects until the deadline or a cancel, writes the page, returns what status says.
    std::string run(const Options& options, const std::string& page_pattern);

    JavaVM* vm_;
    jvmtiEnv* jvmti_;
    Profiler* profiler_;
    BackgroundWindow window_;
};

}  // namespace hotframe
