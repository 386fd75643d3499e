// Names of the threads that samples come from, by kernel thread id: Java names for Java threads (from
// ThreadStart, or matched up when profiling starts in a JVM that is already running), the JVM's own names for
// the threads JVMTI does not show (from its Thread.print list: "C2 CompilerThread0", "G1 Conc#0"), and the
// kernel's name (/proc/self/task/TID/comm, at most 15 bytes) for the rest. Thread-safe.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "native/aggregate/thread_print.h"

namespace hotframe {

class ThreadNames {
public:
    static constexpr size_t kKernelNameLength = 15;  // TASK_COMM_LEN - 1

    // A Java thread's name, from JVMTI.
    void set(pid_t tid, std::string name);
    // The JVM's list of its threads: names the threads that have none from JVMTI. `asked_about` are the threads
    // the list was fetched for: those it does not name are not asked about again (see needs_jvm_name). Returns
    // how many threads got a name.
    size_t add_jvm_list(const std::vector<ListedThread>& listed, const std::vector<pid_t>& asked_about);
    // True for a thread with neither a Java name nor one from the JVM's list, not missing from a list that was
    // fetched for it, and whose kernel name is 15 bytes long: the JVM may know it by a longer name.
    bool needs_jvm_name(pid_t tid);
    // The Java or JVM name if known, else the kernel's name (read once and remembered), else "tid N".
    std::string name_of(pid_t tid);
    void clear();
    // Changes whenever a name is set, so that caches of names know when to forget.
    uint64_t generation();

private:
    std::mutex mutex_;
    uint64_t generation_ = 0;
    std::unordered_map<pid_t, std::string> names_;         // from JVMTI or the JVM's list
    std::unordered_map<pid_t, std::string> kernel_names_;  // the fallback, remembered
    std::unordered_set<pid_t> not_in_jvm_list_;            // asked about, not listed: the JVM does not know them
};

}  // namespace hotframe
