#include "native/symbols/symbol_aliases.h"

#include <algorithm>

namespace hotframe {

namespace {

size_t leading_underscores(const std::string& name) {
    size_t count = 0;
    while (count < name.size() && name[count] == '_') count++;
    return count;
}

}  // namespace

bool better_function_name(const ElfSymbol& a, const ElfSymbol& b) {
    if (a.global != b.global) return a.global;
    size_t underscores_a = leading_underscores(a.name), underscores_b = leading_underscores(b.name);
    if (underscores_a != underscores_b) return underscores_a < underscores_b;
    if (a.name.size() != b.name.size()) return a.name.size() < b.name.size();
    return a.name < b.name;
}

void keep_one_name_per_address(std::vector<ElfSymbol>& symbols) {
    std::sort(symbols.begin(), symbols.end(), [](const ElfSymbol& a, const ElfSymbol& b) {
        if (a.value != b.value) return a.value < b.value;
        return better_function_name(a, b);
    });
    // After the sort the best name of each address comes first among its aliases.
    size_t kept = 0;
    for (size_t i = 0; i < symbols.size(); i++) {
        if (kept > 0 && symbols[kept - 1].value == symbols[i].value) {
            symbols[kept - 1].size = std::max(symbols[kept - 1].size, symbols[i].size);
            continue;
        }
        if (kept != i) symbols[kept] = std::move(symbols[i]);
        kept++;
    }
    symbols.resize(kept);
}

}  // namespace hotframe
