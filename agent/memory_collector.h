// Reads the JVM's memory figures through java.lang.management (memory pools, heap and non-heap totals,
// collectors, buffer pools) and the process's resident set from /proc. On a thread attached to the JVM.
#pragma once

#include <jni.h>

#include "native/output/memory_report.h"
#include "native/result.h"

namespace hotframe {

Status collect_memory_report(JNIEnv* jni, MemoryReport* report);

}  // namespace hotframe
