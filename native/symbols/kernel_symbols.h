// Off the signal path. Names for kernel return addresses from /proc/kallsyms, read once per process on the
// first kernel frame. Where the kernel hides its addresses (kptr_restrict, no CAP_SYSLOG) every frame is
// "[kernel]", which still says where the time went.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace hotframe {

class KernelSymbols {
public:
    static KernelSymbols& shared();

    std::string resolve(uintptr_t address);

    // Reads kallsyms-format text ("ffffffff81000000 T _stext", a module in brackets after the name); for tests.
    void load_from(const std::string& text);

private:
    struct Symbol {
        uint64_t address;
        std::string name;
    };

    std::mutex mutex_;
    bool loaded_ = false;
    std::vector<Symbol> symbols_;  // functions, sorted by address
};

}  // namespace hotframe
