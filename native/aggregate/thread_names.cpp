#include "native/aggregate/thread_names.h"

#include <utility>

#include "native/aggregate/thread_list.h"

namespace hotframe {

void ThreadNames::set(pid_t tid, std::string name) {
    std::lock_guard<std::mutex> lock(mutex_);
    names_[tid] = std::move(name);
    not_in_jvm_list_.erase(tid);
    generation_++;
}

size_t ThreadNames::add_jvm_list(const std::vector<ListedThread>& listed, const std::vector<pid_t>& asked_about) {
    // An empty list is a failed Thread.print (a JVM always lists its VM thread): it says nothing about who is
    // not the JVM's, so nobody is marked and the threads are asked about again later.
    if (listed.empty()) return 0;
    std::lock_guard<std::mutex> lock(mutex_);
    size_t named = 0;
    for (const ListedThread& thread : listed) {
        // A JVMTI name stays: it is the same name, and it was taken on the thread itself.
        if (names_.emplace(thread.tid, thread.name).second) named++;
    }
    for (pid_t tid : asked_about) {
        if (names_.count(tid) == 0) not_in_jvm_list_.insert(tid);
    }
    if (named != 0) generation_++;
    return named;
}

bool ThreadNames::needs_jvm_name(pid_t tid) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (names_.count(tid) != 0 || not_in_jvm_list_.count(tid) != 0) return false;
    }
    // HotSpot gives each of its threads its name as the kernel's, cut to 15 bytes: a shorter kernel name is the
    // whole name ("GC Thread#0", "VM Thread"), so only a full-length one ("C2 CompilerThre") is worth a list.
    return name_of(tid).size() >= kKernelNameLength;
}

uint64_t ThreadNames::generation() {
    std::lock_guard<std::mutex> lock(mutex_);
    return generation_;
}

std::string ThreadNames::name_of(pid_t tid) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto found = names_.find(tid);
        if (found != names_.end()) return found->second;
        found = kernel_names_.find(tid);
        if (found != kernel_names_.end()) return found->second;
    }
    std::string name = kernel_thread_name(tid);
    if (name.empty()) name = "tid " + std::to_string(tid);
    std::lock_guard<std::mutex> lock(mutex_);
    return kernel_names_.emplace(tid, std::move(name)).first->second;
}

void ThreadNames::clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    names_.clear();
    kernel_names_.clear();
    not_in_jvm_list_.clear();
    generation_++;
}

}  // namespace hotframe
