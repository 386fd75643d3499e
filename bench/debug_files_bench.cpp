// Micro-benchmark of separate debug files: what naming native pcs costs, in time and memory, when the objects'
// debug files are read (libc6-dbg present), looked for and not found (absent: the debug directory pointed at an
// empty one), and not looked for (debuginfo=off). It names pcs spread over the text of libc, libm and the
// dynamic loader (the objects Debian's libc6-dbg covers; libjvm has its own symbol table), as the aggregator
// does at the first native samples of a session; the first pc an object's own tables cannot name reads its debug
// file. One mode per process, because the symbol tables are the process's. Prints milliseconds, the growth of
// the resident set and of its peak, and how many pcs got a name. Run by `scripts/bench --workload debuginfo`;
// not a test.
#include <link.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "native/steady_clock.h"
#include "native/symbols/native_symbols.h"

using namespace hotframe;

namespace {

constexpr uintptr_t kStride = 4096;  // a few hundred pcs: the cost measured is reading tables, not naming pcs

struct TextRange {
    uintptr_t start, end;
};

bool covered(const char* path) {
    for (const char* name : {"/libc.so.6", "/libm.so.6", "/ld-linux-x86-64.so.2"}) {
        size_t length = std::strlen(path), suffix = std::strlen(name);
        if (length >= suffix && std::strcmp(path + length - suffix, name) == 0) return true;
    }
    return false;
}

int add_text(dl_phdr_info* info, size_t, void* data) {
    if (info->dlpi_name == nullptr || !covered(info->dlpi_name)) return 0;
    auto* ranges = static_cast<std::vector<TextRange>*>(data);
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr)& header = info->dlpi_phdr[i];
        if (header.p_type == PT_LOAD && (header.p_flags & PF_X))
            ranges->push_back({info->dlpi_addr + header.p_vaddr, info->dlpi_addr + header.p_vaddr + header.p_memsz});
    }
    return 0;
}

// VmRSS or VmHWM from /proc/self/status, in kB.
long status_kb(const char* field) {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind(field, 0) == 0) return std::atol(line.c_str() + std::strlen(field) + 1);
    }
    return -1;
}

}  // namespace

int main(int argc, char** argv) {
    std::string mode = argc > 1 ? argv[1] : "present";
    if (mode != "present" && mode != "absent" && mode != "off") {
        std::fprintf(stderr, "usage: %s present|absent|off [empty directory for absent]\n", argv[0]);
        return 2;
    }
    volatile double keep_libm = std::cos(argc);  // libm stays linked and loaded
    (void)keep_libm;
    std::string root = mode == "absent" ? (argc > 2 ? argv[2] : "/nonexistent-debug-root") : kDefaultDebugRoot;
    NativeSymbols& symbols = NativeSymbols::shared();
    symbols.set_debug_files(mode != "off", root);
    std::vector<TextRange> ranges;
    dl_iterate_phdr(add_text, &ranges);
    // Everything from the first name on: the objects' own tables (what every session pays, debug files or not;
    // debuginfo=off measures it alone) and, in the present mode, the debug files.
    long rss_before = status_kb("VmRSS:"), peak_before = status_kb("VmHWM:");
    uint64_t started = steady_now_ns();
    size_t pcs = 0, named = 0;
    for (const TextRange& range : ranges) {
        for (uintptr_t pc = range.start; pc < range.end; pc += kStride, pcs++) {
            if (symbols.resolve(pc, false).name.find(".so") == std::string::npos) named++;
        }
    }
    double elapsed_ms = static_cast<double>(steady_now_ns() - started) / 1e6;
    long rss_after = status_kb("VmRSS:"), peak_after = status_kb("VmHWM:");
    std::string objects;
    for (const std::string& name : symbols.objects_named_by_debug_files())
        objects += (objects.empty() ? "" : ",") + name;
    std::printf("debuginfo %-7s %8.1f ms  RSS %+7.1f MB  peak RSS %+7.1f MB  %zu of %zu pcs named  debug files: %s\n",
                mode.c_str(), elapsed_ms, (rss_after - rss_before) / 1024.0, (peak_after - peak_before) / 1024.0, named,
                pcs, objects.empty() ? "none" : objects.c_str());
    return 0;
}
