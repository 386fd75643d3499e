// The point-in-time reports besides flame graphs: a thread dump and the memory report, collected and rendered
// on the calling thread (which must be attached to the JVM). Used by the commands, by their periodic
// schedules and at exit.
#pragma once

#include <jni.h>
#include <jvmti.h>

#include <string>

#include "native/result.h"

namespace hotframe {

enum class ReportKind { kThreadDump, kMemory };

const char* report_name(ReportKind kind);

struct Report {
    std::string text;     // the rendering: jstack-layout text, a memory table, or JSON (one line for memory)
    std::string summary;  // "512 threads, 1 deadlock" for the caller's answer
};

Status make_report(jvmtiEnv* jvmti, JNIEnv* jni, ReportKind kind, bool json, Report* report);

}  // namespace hotframe
