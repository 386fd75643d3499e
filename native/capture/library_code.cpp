// Signal-safe: find() and count() run in the SIGPROF handler; add() runs on one thread off the signal path.
#include "native/capture/library_code.h"

namespace hotframe {

namespace library_code {

namespace {

Library g_libraries[kMaxLibraries];
std::atomic<uint32_t> g_count{0};

}  // namespace

Library* add(uintptr_t low, uintptr_t high) {
    uint32_t known = g_count.load(std::memory_order_acquire);
    for (uint32_t i = 0; i < known; i++) {
        if (g_libraries[i].low == low && g_libraries[i].high == high && g_libraries[i].live.load()) {
            return &g_libraries[i];
        }
    }
    if (known == kMaxLibraries) return nullptr;
    Library& entry = g_libraries[known];
    entry.low = low;
    entry.high = high;
    entry.unwind.store(nullptr, std::memory_order_relaxed);
    entry.live.store(true, std::memory_order_relaxed);
    g_count.store(known + 1, std::memory_order_release);
    return &entry;
}

const Library* find(uintptr_t pc) {
    // Newest first: an object loaded where an unloaded one was must win over the old entry.
    for (uint32_t i = g_count.load(std::memory_order_acquire); i-- > 0;) {
        const Library& library = g_libraries[i];
        if (pc >= library.low && pc < library.high && library.live.load(std::memory_order_acquire)) return &library;
    }
    return nullptr;
}

uint32_t count() { return g_count.load(std::memory_order_acquire); }

Library* at(uint32_t index) { return &g_libraries[index]; }

}  // namespace library_code

}  // namespace hotframe
