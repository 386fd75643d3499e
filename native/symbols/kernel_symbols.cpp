#include "native/symbols/kernel_symbols.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace hotframe {

KernelSymbols& KernelSymbols::shared() {
    static KernelSymbols* symbols = new KernelSymbols();  // never destroyed: a late dump may still ask
    return *symbols;
}

void KernelSymbols::load_from(const std::string& text) {
    std::istringstream lines(text);
    std::string line;
    std::vector<Symbol> symbols;
    while (std::getline(lines, line)) {
        std::istringstream fields(line);
        std::string address_text, type, name;
        if (!(fields >> address_text >> type >> name)) continue;
        // Text symbols only: t/T functions, w/W weak ones.
        if (type.size() != 1 || (type[0] != 't' && type[0] != 'T' && type[0] != 'w' && type[0] != 'W')) continue;
        uint64_t address = std::strtoull(address_text.c_str(), nullptr, 16);
        if (address == 0) continue;  // hidden by kptr_restrict
        symbols.push_back(Symbol{address, std::move(name)});
    }
    std::sort(symbols.begin(), symbols.end(), [](const Symbol& a, const Symbol& b) { return a.address < b.address; });
    std::lock_guard<std::mutex> lock(mutex_);
    symbols_ = std::move(symbols);
    loaded_ = true;
}

std::string KernelSymbols::resolve(uintptr_t address) {
    bool loaded = false;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        loaded = loaded_;
    }
    if (!loaded) {
        // Read outside the lock: two threads reading at once only read it twice. An unreadable file loads as
        // empty, once.
        std::ifstream file("/proc/kallsyms");
        std::stringstream text;
        text << file.rdbuf();
        load_from(text.str());
    }
    std::lock_guard<std::mutex> lock(mutex_);
    auto after = std::upper_bound(symbols_.begin(), symbols_.end(), address,
                                  [](uint64_t value, const Symbol& symbol) { return value < symbol.address; });
    if (after == symbols_.begin()) return "[kernel]";
    // No kernel function is a megabyte long: further than that from the last symbol is code kallsyms does not
    // list (BPF programs, modules without symbols).
    constexpr uint64_t kMaxFunctionSize = 1 << 20;
    if (address - (after - 1)->address > kMaxFunctionSize) return "[kernel]";
    return (after - 1)->name;
}

}  // namespace hotframe
