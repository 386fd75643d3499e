#include "native/symbols/symbol_aliases.h"

#include <algorithm>
#include <array>
#include <memory>
#include <utility>

namespace hotframe {

namespace {

size_t leading_underscores(std::string_view name) {
    size_t count = 0;
    while (count < name.size() && name[count] == '_') count++;
    return count;
}

// A stable radix sort by address, least significant digit first, relative to the lowest address: libjvm's
// 16 MB of code takes three passes of 11 bits (2,048 counters, which stay in the L1 cache). std::sort with a
// comparator spent most of its 5.8 ms on libjvm's 48,000 function symbols in branches the predictor cannot
// learn and in comparing aliases' names; this and the alias choice take 3.7 ms, a third of it the page faults
// of the scratch buffer.
void sort_by_address(std::vector<FunctionEntry>& entries) {
    size_t count = entries.size();
    if (count < 2) return;
    auto [lowest, highest] =
        std::minmax_element(entries.begin(), entries.end(),
                            [](const FunctionEntry& a, const FunctionEntry& b) { return a.value < b.value; });
    uint64_t low = lowest->value, range = highest->value - low;
    constexpr unsigned kDigitBits = 11;
    constexpr size_t kBuckets = size_t{1} << kDigitBits;
    // Not zero-filled: every slot is written before it is read.
    std::unique_ptr<FunctionEntry[]> scratch(new FunctionEntry[count]);
    FunctionEntry* from = entries.data();
    FunctionEntry* to = scratch.get();
    std::array<size_t, kBuckets> starts;
    for (unsigned shift = 0; shift < 64 && (range >> shift) != 0; shift += kDigitBits) {
        starts.fill(0);
        for (size_t i = 0; i < count; i++) starts[((from[i].value - low) >> shift) & (kBuckets - 1)]++;
        size_t at = 0;
        for (size_t& start : starts) at += std::exchange(start, at);  // counts become first positions
        for (size_t i = 0; i < count; i++) to[starts[((from[i].value - low) >> shift) & (kBuckets - 1)]++] = from[i];
        std::swap(from, to);
    }
    if (from != entries.data()) std::copy(from, from + count, entries.data());
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
    entries.resize(kept);
    // The reader reserved room for every symbol of its tables, data and sections too. libjvm keeps 44,000 of
    // 58,000 (1.3x), and copying its 1.4 MB into fresh pages would cost about 1.3 ms of page faults on these
    // machines, for 0.4 MB: only a table mostly left empty is copied to fit.
    if (entries.capacity() > entries.size() + entries.size() / 2) entries.shrink_to_fit();
}

}  // namespace hotframe
