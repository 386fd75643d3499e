#include "native/symbols/symbol_aliases.h"

#include <algorithm>

namespace hotframe {

namespace {

size_t leading_underscores(std::string_view name) {
    size_t count = 0;
    while (count < name.size() && name[count] == '_') count++;
    return count;
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
    // Names are compared only between aliases of one address: the sort itself moves 32-byte entries.
    std::sort(entries.begin(), entries.end(), [&symbols](const FunctionEntry& a, const FunctionEntry& b) {
        if (a.value != b.value) return a.value < b.value;
        return better_function_name(symbols.name(a), a.global, symbols.name(b), b.global);
    });
    // After the sort the best name of each address comes first among its aliases.
    size_t kept = 0;
    for (size_t i = 0; i < entries.size(); i++) {
        if (kept > 0 && entries[kept - 1].value == entries[i].value) {
            entries[kept - 1].size = std::max(entries[kept - 1].size, entries[i].size);
            continue;
        }
        entries[kept++] = entries[i];
    }
    entries.resize(kept);
}

}  // namespace hotframe
