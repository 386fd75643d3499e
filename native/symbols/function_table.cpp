#include "native/symbols/function_table.h"

#include <limits>

namespace hotframe {

std::optional<uint32_t> FunctionTable::adopt_strings(std::string strings) {
    constexpr size_t kMaxNames = std::numeric_limits<uint32_t>::max();
    if (strings.size() > kMaxNames - names_.size()) return std::nullopt;
    auto base = static_cast<uint32_t>(names_.size());
    if (names_.empty()) {
        names_ = std::move(strings);  // the usual case, one table: no copy
    } else {
        names_.append(strings);
    }
    return base;
}

void FunctionTable::add(std::string_view name, uint64_t value, uint64_t size, bool global) {
    std::optional<uint32_t> at = adopt_strings(std::string(name));
    if (!at) return;
    entries_.push_back(FunctionEntry{value, size, *at, static_cast<uint32_t>(name.size()), global});
}

void FunctionTable::append(const FunctionTable& other) {
    std::optional<uint32_t> base = adopt_strings(other.names_);
    if (!base) return;
    entries_.reserve(entries_.size() + other.entries_.size());
    for (FunctionEntry entry : other.entries_) {
        entry.name_at += *base;
        entries_.push_back(entry);
    }
}

const FunctionEntry* FunctionTable::find(std::string_view name) const {
    for (const FunctionEntry& entry : entries_) {
        if (this->name(entry) == name) return &entry;
    }
    return nullptr;
}

}  // namespace hotframe
