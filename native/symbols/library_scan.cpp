#include "native/symbols/library_scan.h"

#include <dlfcn.h>
#include <link.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "native/capture/library_code.h"
#include "native/symbols/eh_frame.h"

namespace hotframe {

namespace library_scan {

namespace {

struct LoadedObject {
    std::string name;  // as the loader knows it; empty for the main program
    uintptr_t low;
    uintptr_t high;
    const uint8_t* eh_frame_hdr;      // the mapped PT_GNU_EH_FRAME segment, or nullptr
    std::vector<MappedRange> mapped;  // its loaded segments: all the unwind-table reader may touch
};

std::mutex g_mutex;
unsigned long long g_seen_loads = 0;  // dlpi_adds + dlpi_subs at the last full look
bool g_tables_complete = false;       // every library known at the last full look has its unwind table

int collect(struct dl_phdr_info* info, size_t, void* data) {
    auto* objects = static_cast<std::vector<LoadedObject>*>(data);
    LoadedObject object{info->dlpi_name != nullptr ? info->dlpi_name : "", UINTPTR_MAX, 0, nullptr, {}};
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr)& segment = info->dlpi_phdr[i];
        uintptr_t start = info->dlpi_addr + segment.p_vaddr;
        if (segment.p_type == PT_GNU_EH_FRAME) object.eh_frame_hdr = reinterpret_cast<const uint8_t*>(start);
        if (segment.p_type == PT_LOAD && (segment.p_flags & PF_R) != 0) {
            object.mapped.push_back(MappedRange{start, start + segment.p_memsz});
        }
        if (segment.p_type != PT_LOAD || (segment.p_flags & PF_X) == 0) continue;
        object.low = std::min(object.low, start);
        object.high = std::max(object.high, static_cast<uintptr_t>(start + segment.p_memsz));
    }
    if (object.high != 0) objects->push_back(std::move(object));
    return 0;
}

}  // namespace

RefreshResult refresh(bool unwind_tables) {
    RefreshResult result;
    auto started = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> lock(g_mutex);
    unsigned long long loads = 0;
    dl_iterate_phdr(
        [](struct dl_phdr_info* info, size_t, void* data) {
            *static_cast<unsigned long long*>(data) = info->dlpi_adds + info->dlpi_subs;
            return 1;  // the counters are the same in every entry: one is enough
        },
        &loads);
    if (loads == g_seen_loads && (!unwind_tables || g_tables_complete)) return result;
    std::vector<LoadedObject> objects;
    dl_iterate_phdr(collect, &objects);
    g_seen_loads = loads;
    g_tables_complete = unwind_tables;
    library_code::retire_unloaded([&objects](uintptr_t low, uintptr_t high) {
        for (const LoadedObject& object : objects) {
            if (object.low == low && object.high == high) return true;
        }
        return false;
    });
    for (const LoadedObject& object : objects) {
        library_code::Library* library = library_code::add(object.low, object.high);
        if (library == nullptr || !unwind_tables || object.eh_frame_hdr == nullptr) continue;
        if (library->unwind.load(std::memory_order_acquire) != nullptr) continue;
        // The table is read from the library's mapped .eh_frame: hold the library so that no dlclose can unmap
        // it meanwhile. The main program and the vDSO are never unloaded (and cannot be opened by name).
        bool permanent = object.name.empty() || object.name.find("linux-vdso") != std::string::npos;
        void* pin = permanent ? nullptr : dlopen(object.name.c_str(), RTLD_NOLOAD | RTLD_LAZY);
        if (!permanent && pin == nullptr) continue;  // unloaded since the look
        // Published once and never freed: a signal handler may be reading it at any time afterwards.
        const UnwindTable* table = build_unwind_table(object.eh_frame_hdr, object.low, object.high, object.mapped);
        if (pin != nullptr) dlclose(pin);
        if (table == nullptr) continue;
        library->unwind.store(table, std::memory_order_release);
        result.tables_built++;
        result.rows += table->count;
        result.table_bytes += table->count * sizeof(UnwindRow) + sizeof(UnwindTable);
    }
    result.libraries = static_cast<unsigned>(objects.size());
    result.milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    return result;
}

}  // namespace library_scan

}  // namespace hotframe
