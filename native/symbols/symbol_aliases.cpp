#include "native/symbols/symbol_aliases.h"

#include <algorithm>
#include <array>
#include <utility>

namespace hotframe {

namespace {

size_t leading_underscores(std::string_view name) {
    size_t count = 0;
    while (count < name.size() && name[count] == '_') count++;
    return count;
}

// A stable radix sort by address, least significant digit first. libjvm has about 44,000 function symbols;
// std::sort with a comparator took 3.5 ms on them (branches the predictor cannot learn), this takes a few
// hundred microseconds. Addresses are taken relative to the lowest, so an object of 16 MB needs three passes.
void sort_by_address(std::vector<FunctionEntry>& entries) {
    if (entries.size() < 2) return;
    auto [lowest, highest] =
        std::minmax_element(entries.begin(), entries.end(),
                            [](const FunctionEntry& a, const FunctionEntry& b) { return a.value < b.value; });
    uint64_t low = lowest->value, range = highest->value - low;
    constexpr unsigned kDigitBits = 11;
    constexpr size_t kBuckets = size_t{1} << kDigitBits;
    std::vector<FunctionEntry> scratch(entries.size());
    std::array<size_t, kBuckets> starts;
    for (unsigned shift = 0; shift < 64 && (range >> shift) != 0; shift += kDigitBits) {
        starts.fill(0);
        for (const FunctionEntry& entry : entries) starts[((entry.value - low) >> shift) & (kBuckets - 1)]++;
        size_t at = 0;
        for (size_t& start : starts) at += std::exchange(start, at);
        for (const FunctionEntry& entry : entries)
            scratch[starts[((entry.value - low) >> shift) & (kBuckets - 1)]++] = entry;
        entries.swap(scratch);
    }
}

}  // namespace

bool better_function_name(std::string_view a, bool a_global, std::string_view b, bool b_global) {
    if (a_global != b_global) return a_global;
    size_t underscores_a = leading_underscores(a), underscores_b = leading_underscores(b);
    if (underscores_a != underscores_b) return underscores_a < underscores_b;
    if (a.size() != b.size()) return a.size() < b.size();
    return a < b;
}

void keep_one_name_per_address(FunctionTable& symbols) {
    std::vector<FunctionEntry>& entries = symbols.entries();
    sort_by_address(entries);
    // Names are compared only within the aliases of one address. better_function_name is a total order on
    // (name, binding), so the choice does not depend on the order the aliases came in.
    size_t kept = 0;
    for (size_t i = 0; i < entries.size();) {
        FunctionEntry best = entries[i];
        size_t next = i + 1;
        for (; next < entries.size() && entries[next].value == best.value; next++) {
            const FunctionEntry& alias = entries[next];
            uint64_t size = std::max(best.size, alias.size);
            if (better_function_name(symbols.name(alias), alias.global, symbols.name(best), best.global)) best = alias;
            best.size = size;
        }
        entries[kept++] = best;
        i = next;
    }
    // Not shrunk to fit: the capacity reserved for every symbol (about 0.4 MB more than libjvm's functions
    // need) costs less than copying 1.4 MB into fresh pages, 1.3 ms of page faults on these machines.
    entries.resize(kept);
}

}  // namespace hotframe
