// Names the calling thread for the kernel (/proc/PID/task/TID/comm, top -H, perf): the agent's own threads are
// otherwise all called "java" like the JVM's main thread, and their CPU time, which scripts/bench and a user
// set against the application's, cannot be told apart.
#pragma once

#include <pthread.h>

#include <cstring>

namespace hotframe {

// The kernel keeps 15 characters; a longer name is cut, never refused.
inline void name_this_thread(const char* name) {
    char kept[16] = {};
    std::strncpy(kept, name, sizeof(kept) - 1);
    pthread_setname_np(pthread_self(), kept);
}

}  // namespace hotframe
