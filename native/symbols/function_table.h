// Off the signal path. The function symbols of one object in compact form. libjvm alone has about 48,000
// function symbols with long mangled names: one std::string per name made loading them tens of thousands of
// allocations, and loading was 46% of the aggregator's CPU in a short session (docs/PERFORMANCE.md; a third
// of it went with the strings). Here the names stay in the string tables they were read from, adopted whole
// (one buffer per table), and an entry is the symbol's address, size and where its name is in those buffers:
// loading reads each table once (the symbols a chunk at a time) and sorts once, whatever the count.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotframe {

struct FunctionEntry {
    uint64_t value;  // address in the object's own numbering (add the load bias for a mapped object)
    uint64_t size;
    uint32_t name_at;      // offset of the name in the table's names
    uint32_t name_length;  // without a symbol version ("clock_gettime", not "clock_gettime@@GLIBC_2.17")
    bool global;           // STB_GLOBAL or STB_WEAK; false for STB_LOCAL (static and hidden functions)
};

class FunctionTable {
public:
    // Takes a whole string table; returns where it starts among the names, for entries whose names are in it,
    // or nullopt if the names would pass what a 32-bit offset reaches (no real object comes near).
    std::optional<uint32_t> adopt_strings(std::string strings);
    // The names adopted so far, for checking an entry's name before adding it.
    std::string_view names() const { return names_; }
    // An entry whose name is already among the names; one whose name lies outside them is dropped, so that
    // name() can never reach past the names.
    void add_entry(const FunctionEntry& entry) {
        if (entry.name_at > names_.size() || entry.name_length > names_.size() - entry.name_at) return;
        entries_.push_back(entry);
    }
    // A function whose name is copied in: the vDSO's and the tests' few.
    void add(std::string_view name, uint64_t value, uint64_t size, bool global);
    // Every entry of `other`, names included.
    void append(const FunctionTable& other);

    std::string_view name(const FunctionEntry& entry) const {
        return std::string_view(names_).substr(entry.name_at, entry.name_length);
    }
    // The first entry called `name`, or nullptr.
    const FunctionEntry* find(std::string_view name) const;

    const std::vector<FunctionEntry>& entries() const { return entries_; }
    std::vector<FunctionEntry>& entries() { return entries_; }
    size_t size() const { return entries_.size(); }
    bool empty() const { return entries_.empty(); }

private:
    std::vector<FunctionEntry> entries_;
    std::string names_;
};

}  // namespace hotframe
