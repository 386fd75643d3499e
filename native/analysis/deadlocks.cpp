#include "native/analysis/deadlocks.h"

#include <map>
#include <optional>

namespace hotframe {

std::vector<Deadlock> find_deadlocks(const ThreadDump& dump) {
    // Each thread waits for at most one lock, so "waits for a lock held by" is a function from threads to
    // threads; a deadlock is a cycle of it. Object.wait() is not part of one: the waiter released the monitor.
    std::map<int64_t, size_t> index_by_id;
    for (size_t i = 0; i < dump.threads.size(); i++) index_by_id[dump.threads[i].java_id] = i;
    auto next = [&](size_t i) -> std::optional<size_t> {
        const DumpedThread& thread = dump.threads[i];
        if (thread.wait != WaitKind::kMonitorEnter && thread.wait != WaitKind::kPark) return std::nullopt;
        auto owner = index_by_id.find(thread.lock_owner_java_id);
        if (thread.lock_owner_java_id < 0 || owner == index_by_id.end()) return std::nullopt;
        return owner->second;
    };
    std::vector<Deadlock> deadlocks;
    std::vector<int> visited(dump.threads.size(), 0);  // 0 new, 1 on the current path, 2 done
    for (size_t start = 0; start < dump.threads.size(); start++) {
        if (visited[start] != 0) continue;
        std::vector<size_t> path;
        std::optional<size_t> current = start;
        while (current && visited[*current] == 0) {
            visited[*current] = 1;
            path.push_back(*current);
            current = next(*current);
        }
        if (current && visited[*current] == 1) {
            Deadlock deadlock;
            bool in_cycle = false;
            for (size_t member : path) {
                in_cycle = in_cycle || member == *current;
                if (in_cycle) deadlock.threads.push_back(member);
            }
            deadlocks.push_back(deadlock);
        }
        for (size_t member : path) visited[member] = 2;
    }
    return deadlocks;
}

}  // namespace hotframe
