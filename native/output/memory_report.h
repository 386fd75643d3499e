// Memory of the JVM by space: every memory pool (heap or not, used, committed, max, used after the last GC),
// totals for heap, non-heap, metaspace, compressed class space and code cache, each collector's count and
// time, the direct and mapped buffer pools and the process's resident set. As data, text and JSON.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hotframe {

struct MemoryPool {
    std::string name;
    bool heap = false;
    int64_t used = 0;
    int64_t committed = 0;
    int64_t max = -1;            // -1: undefined
    int64_t used_after_gc = -1;  // -1: the pool is not collected, or no collection yet
};

struct CollectorStats {
    std::string name;
    int64_t count = 0;
    int64_t time_ms = 0;
};

struct BufferPool {
    std::string name;  // "direct", "mapped"
    int64_t count = 0;
    int64_t used = 0;
    int64_t capacity = 0;
};

struct MemoryReport {
    std::vector<MemoryPool> pools;
    int64_t heap_used = 0, heap_committed = 0, heap_max = -1;
    int64_t non_heap_used = 0, non_heap_committed = 0;
    std::vector<CollectorStats> collectors;
    std::vector<BufferPool> buffers;
    int64_t rss = -1;     // bytes, from /proc/self/status
    int64_t time_ms = 0;  // when it was read, milliseconds since the epoch (for time series)
};

std::string render_memory_text(const MemoryReport& report);
std::string render_memory_json(const MemoryReport& report);

}  // namespace hotframe
