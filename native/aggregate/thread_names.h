// Names of the threads that samples come from, by kernel thread id: Java names for Java threads (from
// ThreadStart, or matched up when profiling starts in a JVM that is already running), the kernel's name
// (/proc/self/task/TID/comm) for the rest. Thread-safe.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace hotframe {

class ThreadNames {
public:
    void set(pid_t tid, std::string name);
    // The Java name if known, else the kernel's name (read once and remembered), else "tid N".
    std::string name_of(pid_t tid);
    void clear();
    // Changes whenever a name is set, so that caches of names know when to forget.
    uint64_t generation();

private:
    std::mutex mutex_;
    uint64_t generation_ = 0;
    std::unordered_map<pid_t, std::string> names_;
};

}  // namespace hotframe
