#include "native/aggregate/thread_names.h"

#include <utility>

#include "native/aggregate/thread_list.h"

namespace hotframe {

void ThreadNames::set(pid_t tid, std::string name) {
    std::lock_guard<std::mutex> lock(mutex_);
    names_[tid] = std::move(name);
    generation_++;
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
    }
    std::string name = kernel_thread_name(tid);
    if (name.empty()) name = "tid " + std::to_string(tid);
    std::lock_guard<std::mutex> lock(mutex_);
    return names_.emplace(tid, std::move(name)).first->second;
}

void ThreadNames::clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    names_.clear();
    generation_++;
}

}  // namespace hotframe
