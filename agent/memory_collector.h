// Reads the JVM's memory figures through java.lang.management (memory pools, heap and non-heap totals,
// collectors, buffer pools) and the process's resident set from /proc. On a thread attached to the JVM.
#pragma once

#include <jni.h>

#include <vector>

#include "native/output/memory_report.h"
#include "native/result.h"

namespace hotframe {

// One report, looking the beans up for it.
Status collect_memory_report(JNIEnv* jni, MemoryReport* report);

class BeanCalls;  // memory_collector.cpp: JNI calls that stop at the first failure

// The beans of one thread's series of reports (a diagnosis reads one a second), looked up once and kept as
// global references: ManagementFactory builds new lists on every call, and for the buffer pools walks its
// platform components, which was most of a diagnosis thread's CPU (docs/PERFORMANCE.md). The JVM's memory
// pools, collectors and buffer pools are fixed for its life; after a failed read they are looked up again.
class MemoryBeans {
public:
    Status collect(JNIEnv* jni, MemoryReport* report);
    // Deletes the global references; on the thread that collected, before it detaches.
    void release(JNIEnv* jni);

private:
    void look_up(JNIEnv* jni, BeanCalls& calls);
    void read(BeanCalls& calls, MemoryReport* report) const;

    std::vector<jobject> pools_, collectors_, buffers_;
    jobject memory_ = nullptr;
    bool looked_up_ = false;
};

}  // namespace hotframe
