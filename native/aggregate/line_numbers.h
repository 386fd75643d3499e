// Source lines of Java frames: a frame's bci (from AsyncGetCallTrace, or the HotSpot walker) turned into the line
// of its method's source with JVMTI GetLineNumberTable, read once per method on the aggregator thread (never in
// a signal handler) and cached. A jmethodID whose class has been unloaded is refused by JVMTI
// (JVMTI_ERROR_INVALID_METHODID) and gets no line; it is not cached, as MethodSymbols does not cache its name.
#pragma once

#include <jvmti.h>

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace hotframe {

struct LineEntry {
    jlocation start;  // the first bci of the line's code
    int32_t line;
};

// JVMTI's table semantics: the line of the entry with the greatest start <= bci; 0 (no line) for a negative bci,
// a bci before the first entry, or an empty table. `sorted_table` is sorted by start.
int32_t line_at(const std::vector<LineEntry>& sorted_table, int32_t bci);

class LineNumbers {
public:
    explicit LineNumbers(jvmtiEnv* jvmti) : jvmti_(jvmti) {}

    // 0 where there is no line: a native method (bci -3), an unknown bci, a class without a LineNumberTable
    // (compiled with -g:none), an unloaded class. `cached_bytes` grows by what a new table costs, for memlimit.
    int32_t line_of(jmethodID method, int32_t bci, uint64_t* cached_bytes);

    void clear() { tables_.clear(); }
    size_t methods() const { return tables_.size(); }

private:
    jvmtiEnv* jvmti_;
    std::unordered_map<jmethodID, std::vector<LineEntry>> tables_;
};

}  // namespace hotframe
