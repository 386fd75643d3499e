#include "native/aggregate/line_numbers.h"

#include <algorithm>

namespace hotframe {

int32_t line_at(const std::vector<LineEntry>& sorted_table, int32_t bci) {
    if (bci < 0) return 0;
    // The first entry that starts after bci; the one before it covers bci.
    auto after = std::upper_bound(sorted_table.begin(), sorted_table.end(), static_cast<jlocation>(bci),
                                  [](jlocation location, const LineEntry& entry) { return location < entry.start; });
    if (after == sorted_table.begin()) return 0;
    return std::prev(after)->line;
}

int32_t LineNumbers::line_of(jmethodID method, int32_t bci, uint64_t* cached_bytes) {
    if (bci < 0 || method == nullptr) return 0;
    auto cached = tables_.find(method);
    if (cached != tables_.end()) return line_at(cached->second, bci);

    jint count = 0;
    jvmtiLineNumberEntry* entries = nullptr;
    jvmtiError error = jvmti_->GetLineNumberTable(method, &count, &entries);
    // An unloaded class: not remembered, since nothing says the ID stays dead for good.
    if (error == JVMTI_ERROR_INVALID_METHODID) return 0;
    std::vector<LineEntry> table;
    if (error == JVMTI_ERROR_NONE) {
        table.reserve(static_cast<size_t>(count));
        for (jint i = 0; i < count; i++) table.push_back(LineEntry{entries[i].start_location, entries[i].line_number});
        // JVMTI lists them in the class file's order, which javac keeps by line, not by bci.
        std::sort(table.begin(), table.end(), [](const LineEntry& a, const LineEntry& b) { return a.start < b.start; });
    }
    if (entries != nullptr) jvmti_->Deallocate(reinterpret_cast<unsigned char*>(entries));
    // A native method, absent information: cached empty, so that the question is asked once.
    if (cached_bytes != nullptr) *cached_bytes += sizeof(method) + table.size() * sizeof(LineEntry);
    return line_at(tables_.emplace(method, std::move(table)).first->second, bci);
}

}  // namespace hotframe
