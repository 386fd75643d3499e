// The native stack walk (native/capture/native_stack.h) and the DWARF rows it uses (native/symbols/eh_frame.h),
// on a library whose functions keep no frame pointers.
#include <link.h>
#include <ucontext.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <string>
#include <vector>

#include "native/capture/native_stack.h"
#include "native/symbols/eh_frame.h"
#include "native/symbols/library_scan.h"
#include "native/symbols/native_symbols.h"

using namespace hotframe;

extern "C" {
using UnwindProbeCallback = void (*)(void* argument);
void unwind_probe_outer(UnwindProbeCallback callback, void* argument);
void unwind_probe_middle(UnwindProbeCallback callback, void* argument);
}

namespace {

struct WalkRequest {
    UnwindMethod method;
    uintptr_t pcs[128];
    NativeWalk walk;
};

// Called from inside the probe library: takes the context here, as a signal would, and walks from it.
void walk_here(void* argument) {
    auto* request = static_cast<WalkRequest*>(argument);
    ucontext_t context;
    getcontext(&context);
    request->walk = walk_native_stack(&context, request->method, false, request->pcs, 128);
}

std::vector<std::string> names_of(const WalkRequest& request) {
    std::vector<std::string> names;
    for (int i = 0; i < request.walk.count; i++) {
        names.push_back(NativeSymbols::shared().resolve(request.pcs[i], i > 0).name);
    }
    return names;
}

int index_of(const std::vector<std::string>& names, const std::string& name) {
    for (size_t i = 0; i < names.size(); i++) {
        if (names[i] == name) return static_cast<int>(i);
    }
    return -1;
}

struct ProbeLibrary {
    uintptr_t low = 0;
    uintptr_t high = 0;
    const uint8_t* eh_frame_hdr = nullptr;
    std::vector<MappedRange> mapped;
};

ProbeLibrary find_probe_library() {
    ProbeLibrary probe;
    dl_iterate_phdr(
        [](struct dl_phdr_info* info, size_t, void* data) {
            if (info->dlpi_name == nullptr || std::strstr(info->dlpi_name, "libhotframe_unwind_probe") == nullptr)
                return 0;
            auto* found = static_cast<ProbeLibrary*>(data);
            for (int i = 0; i < info->dlpi_phnum; i++) {
                const ElfW(Phdr)& segment = info->dlpi_phdr[i];
                uintptr_t start = info->dlpi_addr + segment.p_vaddr;
                if (segment.p_type == PT_GNU_EH_FRAME) found->eh_frame_hdr = reinterpret_cast<const uint8_t*>(start);
                if (segment.p_type == PT_LOAD) found->mapped.push_back(MappedRange{start, start + segment.p_memsz});
                if (segment.p_type == PT_LOAD && (segment.p_flags & PF_X) != 0) {
                    found->low = start;
                    found->high = start + segment.p_memsz;
                }
            }
            return 1;
        },
        &probe);
    return probe;
}

}  // namespace

TEST_CASE("DWARF rules walk through functions without frame pointers, up to the thread's first frame", "[unwind]") {
    library_scan::refresh(true);
    WalkRequest request{UnwindMethod::kDwarf, {}, {}};
    unwind_probe_outer(walk_here, &request);
    std::vector<std::string> names = names_of(request);
    INFO("walk: " << Catch::Detail::stringify(names));
    int inner = index_of(names, "unwind_probe_inner");
    REQUIRE(inner > 0);  // the callback's own frame comes first
    CHECK(index_of(names, "unwind_probe_middle") == inner + 1);
    CHECK(index_of(names, "unwind_probe_outer") == inner + 2);
    CHECK(index_of(names, "main") > inner + 2);
    // glibc's _start marks the return address undefined: the walk ends there rather than breaking.
    CHECK(request.walk.end == kWalkOutermost);
}

TEST_CASE("frame pointers cannot see functions that keep none", "[unwind]") {
    library_scan::refresh(false);
    WalkRequest request{UnwindMethod::kFramePointers, {}, {}};
    unwind_probe_outer(walk_here, &request);
    std::vector<std::string> names = names_of(request);
    INFO("walk: " << Catch::Detail::stringify(names));
    CHECK(index_of(names, "unwind_probe_middle") < 0);
}

TEST_CASE("rows of the probe library: CFA from rsp at entry, further from rsp inside", "[unwind]") {
    ProbeLibrary probe = find_probe_library();
    REQUIRE(probe.eh_frame_hdr != nullptr);
    std::vector<UnwindRow> rows = read_unwind_rows(probe.eh_frame_hdr, probe.low, probe.high, probe.mapped);
    REQUIRE(!rows.empty());
    for (size_t i = 1; i < rows.size(); i++) CHECK(rows[i - 1].offset < rows[i].offset);
    UnwindTable table{probe.low, static_cast<uint32_t>(rows.size()), rows.data()};
    auto entry = reinterpret_cast<uintptr_t>(&unwind_probe_middle);
    const UnwindRow* at_entry = find_unwind_row(table, entry);
    REQUIRE(at_entry != nullptr);
    CHECK(at_entry->cfa_register == kCfaSp);
    CHECK(at_entry->cfa_offset == 8);  // only the return address is on the stack yet
    // Somewhere after the prologue the frame holds the 80-byte pad as well.
    bool grown = false;
    for (uintptr_t pc = entry; pc < entry + 64; pc++) {
        const UnwindRow* row = find_unwind_row(table, pc);
        if (row != nullptr && row->cfa_register == kCfaSp && row->cfa_offset >= 80) grown = true;
    }
    CHECK(grown);
    CHECK(find_unwind_row(table, probe.low - 1) == nullptr);
}

TEST_CASE("the row reader stays inside the memory it is given", "[unwind]") {
    ProbeLibrary probe = find_probe_library();
    REQUIRE(probe.eh_frame_hdr != nullptr);
    // Nothing mapped: nothing read, no crash.
    CHECK(read_unwind_rows(probe.eh_frame_hdr, probe.low, probe.high, {}).empty());
    // Only the header's first bytes mapped: the search table and the records are out of reach.
    auto header = reinterpret_cast<uintptr_t>(probe.eh_frame_hdr);
    CHECK(read_unwind_rows(probe.eh_frame_hdr, probe.low, probe.high, {MappedRange{header, header + 12}}).empty());
}
