#include "native/output/memory_report.h"

#include <cstdio>
#include <sstream>

#include "native/output/json_text.h"

namespace hotframe {

namespace {

std::string mib(int64_t bytes) {
    if (bytes < 0) return "-";
    char text[32];
    std::snprintf(text, sizeof(text), "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
    return text;
}

std::string padded(const std::string& text, size_t width) {
    return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
}

// Sums the pools whose name contains `part`: the totals people ask for by name (metaspace, code cache).
int64_t used_of_pools(const MemoryReport& report, const std::string& part) {
    int64_t total = 0;
    for (const MemoryPool& pool : report.pools) {
        if (pool.name.find(part) != std::string::npos) total += pool.used;
    }
    return total;
}

}  // namespace

std::string render_memory_text(const MemoryReport& report) {
    std::ostringstream out;
    out << padded("pool", 36) << padded("kind", 10) << padded("used", 12) << padded("committed", 12)
        << padded("max", 12) << "used after GC\n";
    for (const MemoryPool& pool : report.pools) {
        out << padded(pool.name, 36) << padded(pool.heap ? "heap" : "non-heap", 10) << padded(mib(pool.used), 12)
            << padded(mib(pool.committed), 12) << padded(mib(pool.max), 12) << mib(pool.used_after_gc) << "\n";
    }
    out << "\nheap:             used " << mib(report.heap_used) << ", committed " << mib(report.heap_committed)
        << ", max " << mib(report.heap_max) << "\n"
        << "non-heap:         used " << mib(report.non_heap_used) << ", committed " << mib(report.non_heap_committed)
        << "\n"
        << "metaspace:        used " << mib(used_of_pools(report, "Metaspace")) << "\n"
        << "class space:      used " << mib(used_of_pools(report, "Compressed Class Space")) << "\n"
        << "code cache:       used " << mib(used_of_pools(report, "CodeHeap") + used_of_pools(report, "Code Cache"))
        << "\n";
    for (const CollectorStats& collector : report.collectors) {
        out << "gc " << padded(collector.name + ":", 30) << collector.count << " collections, " << collector.time_ms
            << " ms\n";
    }
    for (const BufferPool& buffer : report.buffers) {
        out << "buffers " << padded(buffer.name + ":", 25) << buffer.count << " buffers, used " << mib(buffer.used)
            << ", capacity " << mib(buffer.capacity) << "\n";
    }
    out << "process RSS:      " << mib(report.rss) << "\n";
    return out.str();
}

std::string render_memory_json(const MemoryReport& report) {
    std::ostringstream out;
    out << "{\"time_ms\":" << report.time_ms << ",\"pools\":[";
    for (size_t i = 0; i < report.pools.size(); i++) {
        const MemoryPool& pool = report.pools[i];
        out << (i ? "," : "") << "{\"name\":" << json_string(pool.name)
            << ",\"heap\":" << (pool.heap ? "true" : "false") << ",\"used\":" << pool.used
            << ",\"committed\":" << pool.committed << ",\"max\":" << pool.max
            << ",\"used_after_gc\":" << pool.used_after_gc << "}";
    }
    out << "],\"heap\":{\"used\":" << report.heap_used << ",\"committed\":" << report.heap_committed
        << ",\"max\":" << report.heap_max << "},\"non_heap\":{\"used\":" << report.non_heap_used
        << ",\"committed\":" << report.non_heap_committed
        << "},\"metaspace_used\":" << used_of_pools(report, "Metaspace")
        << ",\"class_space_used\":" << used_of_pools(report, "Compressed Class Space")
        << ",\"code_cache_used\":" << used_of_pools(report, "CodeHeap") + used_of_pools(report, "Code Cache")
        << ",\"collectors\":[";
    for (size_t i = 0; i < report.collectors.size(); i++) {
        out << (i ? "," : "") << "{\"name\":" << json_string(report.collectors[i].name)
            << ",\"count\":" << report.collectors[i].count << ",\"time_ms\":" << report.collectors[i].time_ms << "}";
    }
    out << "],\"buffers\":[";
    for (size_t i = 0; i < report.buffers.size(); i++) {
        out << (i ? "," : "") << "{\"name\":" << json_string(report.buffers[i].name)
            << ",\"count\":" << report.buffers[i].count << ",\"used\":" << report.buffers[i].used
            << ",\"capacity\":" << report.buffers[i].capacity << "}";
    }
    out << "],\"rss\":" << report.rss << "}\n";
    return out.str();
}

}  // namespace hotframe
