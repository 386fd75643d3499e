#include "native/aggregate/own_threads.h"

#include <algorithm>
#include <mutex>
#include <vector>

namespace hotframe {

namespace own_threads {

namespace {

std::mutex g_mutex;
std::vector<pid_t> g_threads;  // a handful at most: one aggregator per session

}  // namespace

void add(pid_t tid) {
    std::lock_guard<std::mutex> lock(g_mutex);
    g_threads.push_back(tid);
}

void remove(pid_t tid) {
    std::lock_guard<std::mutex> lock(g_mutex);
    g_threads.erase(std::remove(g_threads.begin(), g_threads.end(), tid), g_threads.end());
}

bool contains(pid_t tid) {
    std::lock_guard<std::mutex> lock(g_mutex);
    return std::find(g_threads.begin(), g_threads.end(), tid) != g_threads.end();
}

}  // namespace own_threads

}  // namespace hotframe
