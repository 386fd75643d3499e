#include "native/symbols/library_scan.h"

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "native/capture/library_code.h"
#include "native/symbols/eh_frame.h"
#include "native/symbols/loaded_objects.h"

namespace hotframe {

namespace library_scan {

namespace {

std::mutex g_mutex;
unsigned long long g_seen_loads = 0;    // dlpi_adds + dlpi_subs at the last full look
bool g_tables_complete = false;         // every library known at the last full look has its unwind table
std::vector<std::string> g_cut_tables;  // see cut_tables(); a table is built once per library, so no repeats

}  // namespace

std::vector<std::string> cut_tables() {
    std::lock_guard<std::mutex> lock(g_mutex);
    return g_cut_tables;
}

RefreshResult refresh(bool unwind_tables) {
    RefreshResult result;
    auto started = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> lock(g_mutex);
    unsigned long long loads = loaded_objects_generation();
    if (loads == g_seen_loads && (!unwind_tables || g_tables_complete)) return result;
    std::vector<LoadedObject> objects = loaded_objects();
    g_seen_loads = loads;
    g_tables_complete = unwind_tables;
    library_code::retire_unloaded([&objects](uintptr_t low, uintptr_t high) {
        for (const LoadedObject& object : objects) {
            if (object.code_low == low && object.code_high == high) return true;
        }
        return false;
    });
    for (const LoadedObject& object : objects) {
        library_code::Library* library = library_code::add(object.code_low, object.code_high);
        if (library == nullptr || !unwind_tables || object.eh_frame_hdr == nullptr) continue;
        if (library->unwind.load(std::memory_order_acquire) != nullptr) continue;
        // The table is read from the library's mapped .eh_frame: hold the library so that no dlclose can unmap
        // it meanwhile. The main program and the vDSO are never unloaded (and cannot be opened by name).
        bool permanent = object.name.empty() || object.name.find("linux-vdso") != std::string::npos;
        void* pin = permanent ? nullptr : dlopen(object.name.c_str(), RTLD_NOLOAD | RTLD_LAZY);
        if (!permanent && pin == nullptr) continue;  // unloaded since the look
        // Published once and never freed: a signal handler may be reading it at any time afterwards.
        bool within_limits = true;
        const UnwindTable* table =
            build_unwind_table(object.eh_frame_hdr, object.code_low, object.code_high, object.mapped, &within_limits);
        if (pin != nullptr) dlclose(pin);
        if (!within_limits) g_cut_tables.push_back(object.path);
        if (table == nullptr) continue;
        library->unwind.store(table, std::memory_order_release);
        result.tables_built++;
        result.rows += table->count;
        result.table_bytes += table->count * sizeof(UnwindRow) + table->pages * sizeof(uint32_t) + sizeof(UnwindTable);
    }
    result.libraries = static_cast<unsigned>(objects.size());
    result.milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    return result;
}

}  // namespace library_scan

}  // namespace hotframe
