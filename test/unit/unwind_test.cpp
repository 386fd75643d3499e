// The native stack walk (native/capture/native_stack.h) and the DWARF rows it uses (native/symbols/eh_frame.h),
// on a library whose functions keep no frame pointers.
#include <ucontext.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <string>
#include <vector>

#include "native/capture/native_stack.h"
#include "native/symbols/eh_frame.h"
#include "native/symbols/library_scan.h"
#include "native/symbols/loaded_objects.h"
#include "native/symbols/native_symbols.h"
#include "test/unit/unwind_probe.h"

using namespace hotframe;

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

// Walks, with `method`, from inside the three probe functions; the walk and its frames' names.
std::vector<std::string> walk_through_probes(UnwindMethod method, WalkRequest& request) {
    library_scan::refresh(method == UnwindMethod::kDwarf);
    request.method = method;
    unwind_probe_outer(walk_here, &request);
    return names_of(request);
}

}  // namespace

TEST_CASE("DWARF rules walk through functions without frame pointers, up to the thread's first frame", "[unwind]") {
    WalkRequest request{};
    std::vector<std::string> names = walk_through_probes(UnwindMethod::kDwarf, request);
    INFO("walk: " << Catch::Detail::stringify(names));
    int inner = index_of(names, "unwind_probe_inner");
    REQUIRE(inner > 0);  // the callback's own frame comes first
    CHECK(index_of(names, "unwind_probe_middle") == inner + 1);
    CHECK(index_of(names, "unwind_probe_outer") == inner + 2);
    CHECK(index_of(names, "main") > inner + 2);
    // glibc's _start marks the return address undefined: the walk ends there rather than breaking.
    CHECK(request.walk.end == kWalkOutermost);
}

TEST_CASE("after an epilogue's early pop of rbp the walk keeps the register, not the popped slot", "[unwind]") {
    library_scan::refresh(true);
    // The context a signal would give in unwind_probe_epilogue after its `pop %rbp`: the return address on top
    // of the stack, the caller's rbp already back in the register, the popped slot below the stack pointer
    // (garbage here, to tell the two apart). The return address is in no library, so the walk stops there as it
    // does at generated code, and hands over the registers it unwound.
    constexpr uintptr_t kCallerFp = 0x7000;
    constexpr uintptr_t kReturnAddress = 0x5000;
    alignas(16) uintptr_t stack[8] = {};
    stack[2] = 0xdead;
    stack[3] = kReturnAddress;
    ucontext_t context;
    std::memset(&context, 0, sizeof(context));
    auto tail = reinterpret_cast<uintptr_t>(&unwind_probe_epilogue_tail);
    context.uc_mcontext.gregs[REG_RIP] = static_cast<greg_t>(tail);
    context.uc_mcontext.gregs[REG_RSP] = static_cast<greg_t>(reinterpret_cast<uintptr_t>(&stack[3]));
    context.uc_mcontext.gregs[REG_RBP] = static_cast<greg_t>(kCallerFp);
    uintptr_t pcs[8];
    FrameRegisters caller{};
    NativeWalk walk = walk_native_stack(&context, UnwindMethod::kDwarf, true, pcs, 8, &caller);
    REQUIRE(walk.end == kWalkReachedJava);  // was kWalkBroken: the rbp rule pointed below the stack pointer
    CHECK(walk.count == 1);
    CHECK(pcs[0] == tail);
    CHECK(caller.pc == kReturnAddress);
    CHECK(caller.sp == reinterpret_cast<uintptr_t>(&stack[4]));
    CHECK(caller.fp == kCallerFp);
    CHECK(unwind_probe_epilogue() == 1);  // the function itself runs as its CFI says
}

TEST_CASE("frame pointers cannot see functions that keep none", "[unwind]") {
    WalkRequest request{};
    std::vector<std::string> names = walk_through_probes(UnwindMethod::kFramePointers, request);
    INFO("walk: " << Catch::Detail::stringify(names));
    // The walk starts at the callback's own pc, but the probe functions keep no frame records, so the chain
    // cannot pass through them: the middle and outer ones (reached only through the inner one's record) are
    // missing, unlike in the DWARF walk above.
    CHECK(request.walk.count >= 1);
    CHECK(index_of(names, "unwind_probe_middle") < 0);
    CHECK(index_of(names, "unwind_probe_outer") < 0);
}

TEST_CASE("rows of the probe library: CFA from rsp at entry, further from rsp inside", "[unwind]") {
    std::optional<LoadedObject> probe = find_loaded_object("libhotframe_unwind_probe");
    REQUIRE(probe);
    REQUIRE(probe->eh_frame_hdr != nullptr);
    std::vector<UnwindRow> rows =
        read_unwind_rows(probe->eh_frame_hdr, probe->code_low, probe->code_high, probe->mapped);
    REQUIRE(!rows.empty());
    for (size_t i = 1; i < rows.size(); i++) CHECK(rows[i - 1].offset < rows[i].offset);
    UnwindTable table{probe->code_low, static_cast<uint32_t>(rows.size()), rows.data()};
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
    CHECK(find_unwind_row(table, probe->code_low - 1) == nullptr);
}

TEST_CASE("the row reader stays inside the memory it is given", "[unwind]") {
    std::optional<LoadedObject> probe = find_loaded_object("libhotframe_unwind_probe");
    REQUIRE(probe);
    REQUIRE(probe->eh_frame_hdr != nullptr);
    // Nothing mapped: nothing read, no crash.
    CHECK(read_unwind_rows(probe->eh_frame_hdr, probe->code_low, probe->code_high, {}).empty());
    // Only the header's first bytes mapped: the search table and the records are out of reach.
    auto header = reinterpret_cast<uintptr_t>(probe->eh_frame_hdr);
    CHECK(read_unwind_rows(probe->eh_frame_hdr, probe->code_low, probe->code_high, {MappedRange{header, header + 12}})
              .empty());
}

namespace {

// A hand-made .eh_frame_hdr and .eh_frame with one CIE and one FDE for a 64-byte function at `code`:
// entry: CFA = rsp + 8; after 1 byte (push rbp): CFA = rsp + 16, rbp saved at CFA - 16; after 4 (mov rbp, rsp):
// CFA = rbp + 16; after 8: an opcode no DWARF version defines.
struct SyntheticFrames {
    alignas(8) uint8_t bytes[256] = {};
    alignas(16) uint8_t code[64] = {};
    size_t size = 0;

    void put(const std::vector<uint8_t>& values) {
        for (uint8_t value : values) bytes[size++] = value;
    }
    void put32(size_t at, int32_t value) { std::memcpy(bytes + at, &value, 4); }

    SyntheticFrames() {
        // Header: version 1, eh_frame_ptr pcrel sdata4, count udata4, table datarel sdata4.
        put({1, 0x1b, 0x03, 0x3b});
        size_t frame_pointer_at = size;
        put({0, 0, 0, 0});
        put({1, 0, 0, 0});  // one FDE
        size_t table_at = size;
        put({0, 0, 0, 0, 0, 0, 0, 0});
        size_t cie_at = size;
        put32(frame_pointer_at, static_cast<int32_t>(cie_at - frame_pointer_at));
        // CIE: length, id 0, version 1, "zR", code align 1, data align -8, RA 16, aug length 1, pcrel sdata4,
        // then def_cfa rsp+8 and "RA at CFA-8".
        put({0, 0, 0, 0, 0, 0, 0, 0, 1, 'z', 'R', 0, 1, 0x78, 16, 1, 0x1b, 0x0c, 7, 8, 0x90, 1, 0, 0});
        put32(cie_at, static_cast<int32_t>(size - cie_at - 4));
        size_t fde_at = size;
        put({0, 0, 0, 0});
        put32(size, static_cast<int32_t>(size - cie_at));  // CIE pointer: back to the CIE
        size += 4;
        size_t begin_at = size;
        put({0, 0, 0, 0, 64, 0, 0, 0, 0});  // pc_begin (pcrel), pc_range 64, aug length 0
        int64_t code_distance = reinterpret_cast<intptr_t>(code) - reinterpret_cast<intptr_t>(bytes + begin_at);
        put32(begin_at, static_cast<int32_t>(code_distance));
        // advance 1; def_cfa_offset 16; rbp at CFA-16; advance 3; def_cfa_register rbp; advance 4; bad opcode.
        put({0x41, 0x0e, 16, 0x86, 2, 0x43, 0x0d, 6, 0x44, 0x3f, 0, 0});
        put32(fde_at, static_cast<int32_t>(size - fde_at - 4));
        put32(table_at, static_cast<int32_t>(reinterpret_cast<intptr_t>(code) - reinterpret_cast<intptr_t>(bytes)));
        put32(table_at + 4, static_cast<int32_t>(fde_at));
    }

    uintptr_t low() const { return reinterpret_cast<uintptr_t>(code); }
    MappedRange all() const {
        return MappedRange{reinterpret_cast<uintptr_t>(bytes), reinterpret_cast<uintptr_t>(bytes) + sizeof(bytes)};
    }
};

}  // namespace

TEST_CASE("hand-made CFI: prologue rules, then unknown after an undecodable instruction", "[unwind]") {
    static SyntheticFrames frames;  // static: the code and the tables must be within 2 GB of each other
    std::vector<UnwindRow> rows = read_unwind_rows(frames.bytes, frames.low(), frames.low() + 64, {frames.all()});
    REQUIRE(rows.size() == 4);  // the end-of-function row merges into the unknown one before it
    CHECK((rows[0].offset == 0 && rows[0].cfa_register == kCfaSp && rows[0].cfa_offset == 8 &&
           rows[0].fp_offset == kFpUnchanged));
    CHECK((rows[1].offset == 1 && rows[1].cfa_register == kCfaSp && rows[1].cfa_offset == 16 &&
           rows[1].fp_offset == -16));
    CHECK((rows[2].offset == 4 && rows[2].cfa_register == kCfaFp && rows[2].cfa_offset == 16));
    CHECK((rows[3].offset == 8 && rows[3].cfa_register == kCfaUnknown));  // not the state before the bad opcode
    UnwindTable table{frames.low(), static_cast<uint32_t>(rows.size()), rows.data()};
    CHECK(find_unwind_row(table, frames.low() + 63)->cfa_register == kCfaUnknown);
}

TEST_CASE("hand-made CFI: a record that runs past mapped memory is not read", "[unwind]") {
    static SyntheticFrames frames;
    MappedRange cut = frames.all();
    cut.high = cut.low + frames.size - 6;  // the FDE's last bytes are outside
    CHECK(read_unwind_rows(frames.bytes, frames.low(), frames.low() + 64, {cut}).empty());
}

TEST_CASE("the page index finds the same row as a search of every row, at every offset", "[unwind]") {
    // Rows bunched in some pages, none in others, one at a page's first byte and one at its last, and a last row
    // far from the first: every way a pc can stand to the page boundaries.
    std::vector<UnwindRow> rows;
    uint32_t offsets[] = {16, 17, 4095, 4096, 4100, 9000, 12287, 12288, 40000, 40001, 70000};
    for (uint32_t offset : offsets) rows.push_back(UnwindRow{offset, 8, kFpUnchanged, kCfaSp});
    std::vector<uint32_t> pages = unwind_page_index(rows.data(), static_cast<uint32_t>(rows.size()));
    CHECK(pages.size() == (70000 >> kUnwindPageShift) + 1);
    const uintptr_t base = 0x100000;
    UnwindTable indexed{base, static_cast<uint32_t>(rows.size()), rows.data(), pages.data(),
                        static_cast<uint32_t>(pages.size())};
    UnwindTable plain{base, static_cast<uint32_t>(rows.size()), rows.data()};
    uint64_t differ = 0;
    for (uintptr_t offset = 0; offset < 80000; offset++) {
        if (find_unwind_row(indexed, base + offset) != find_unwind_row(plain, base + offset)) differ++;
    }
    CHECK(differ == 0);
    CHECK(find_unwind_row(indexed, base + 15) == nullptr);
    CHECK(find_unwind_row(indexed, base - 1) == nullptr);
    auto offset_at = [&](uintptr_t offset) {
        const UnwindRow* row = find_unwind_row(indexed, base + offset);
        return row != nullptr ? static_cast<int64_t>(row->offset) : -1;
    };
    CHECK(offset_at(4095) == 4095);
    CHECK(offset_at(4096) == 4096);
    CHECK(offset_at(20000) == 12288);  // pages without rows of their own
    CHECK(offset_at(79999) == 70000);  // past the last row's page
}

TEST_CASE("the unwind tables of every library in this process are read whole", "[unwind]") {
    // The reader's limits (eh_frame.h) are far above what real tables need: libc, libstdc++, libm, Catch2's
    // test binary and the probes all stay under them.
    int read = 0;
    for (const LoadedObject& object : loaded_objects()) {
        if (object.eh_frame_hdr == nullptr) continue;
        INFO(object.path);
        bool within_limits = false;
        std::vector<UnwindRow> rows =
            read_unwind_rows(object.eh_frame_hdr, object.code_low, object.code_high, object.mapped, &within_limits);
        CHECK(within_limits);
        if (!rows.empty()) read++;
    }
    CHECK(read >= 4);
}

namespace {

// A hand-made table whose search table lists one FDE `entries` times, the FDE's program setting its location
// back and forth between two offsets `rounds` times with a different CFA each time: a row at each step. The
// 64 bytes of "code" it describes come first in the same buffer (never run: only their addresses matter), so
// that every pc-relative distance fits in 32 bits wherever the buffer is.
struct RepeatedFrames {
    static constexpr size_t kHeaderAt = 64;
    std::vector<uint8_t> bytes;

    void put(const std::vector<uint8_t>& values) { bytes.insert(bytes.end(), values.begin(), values.end()); }
    void put32(size_t at, int32_t value) { std::memcpy(bytes.data() + at, &value, 4); }

    RepeatedFrames(uint32_t entries, int rounds) {
        bytes.reserve(kHeaderAt + 16 + size_t{entries} * 8 + 64 + size_t(rounds) * 14);  // offsets stay valid
        bytes.resize(kHeaderAt);
        put({1, 0x1b, 0x03, 0x3b});
        size_t frame_pointer_at = bytes.size();
        put({0, 0, 0, 0, 0, 0, 0, 0});
        put32(frame_pointer_at + 4, static_cast<int32_t>(entries));
        size_t table_at = bytes.size();
        bytes.resize(bytes.size() + size_t{entries} * 8);
        size_t cie_at = bytes.size();
        put32(frame_pointer_at, static_cast<int32_t>(cie_at - frame_pointer_at));
        put({0, 0, 0, 0, 0, 0, 0, 0, 1, 'z', 'R', 0, 1, 0x78, 16, 1, 0x1b, 0x0c, 7, 8, 0x90, 1, 0, 0});
        put32(cie_at, static_cast<int32_t>(bytes.size() - cie_at - 4));
        size_t fde_at = bytes.size();
        put({0, 0, 0, 0, 0, 0, 0, 0});
        put32(fde_at + 4, static_cast<int32_t>(fde_at + 4 - cie_at));
        size_t begin_at = bytes.size();
        put({0, 0, 0, 0, 64, 0, 0, 0, 0});
        put32(begin_at, -static_cast<int32_t>(begin_at));  // pcrel: the code at offset 0
        for (int round = 0; round < rounds; round++) {
            for (int to : {8, 0}) {
                put({0x01, 0, 0, 0, 0});  // set_loc, pcrel sdata4
                put32(bytes.size() - 4, to - static_cast<int32_t>(bytes.size() - 4));
                put({0x0e, static_cast<uint8_t>(to == 8 ? 24 : 8)});  // def_cfa_offset
            }
        }
        put32(fde_at, static_cast<int32_t>(bytes.size() - fde_at - 4));
        for (uint32_t i = 0; i < entries; i++) {  // datarel: from the header
            put32(table_at + size_t{i} * 8, -static_cast<int32_t>(kHeaderAt));
            put32(table_at + size_t{i} * 8 + 4, static_cast<int32_t>(fde_at - kHeaderAt));
        }
    }

    const uint8_t* header() const { return bytes.data() + kHeaderAt; }
    uintptr_t low() const { return reinterpret_cast<uintptr_t>(bytes.data()); }
    MappedRange all() const { return MappedRange{low(), low() + bytes.size()}; }
};

}  // namespace

TEST_CASE("a table listing one long FDE many times is read up to the reader's limits", "[unwind]") {
    // 20,000 listings of a 14 KB program that makes 2,000 rows: 280 MB of program and 40 million rows read
    // whole; the limits stop it at 6 MB of program (860,000 rows).
    RepeatedFrames frames(20000, 1000);
    bool within_limits = true;
    std::vector<UnwindRow> rows =
        read_unwind_rows(frames.header(), frames.low(), frames.low() + 64, {frames.all()}, &within_limits);
    CHECK_FALSE(within_limits);
    // What was read still merges to the function's rules: CFA rsp+8 at 0, rsp+24 from 8.
    REQUIRE(rows.size() >= 2);
    CHECK((rows[0].offset == 0 && rows[0].cfa_offset == 8));
    CHECK((rows[1].offset == 8 && rows[1].cfa_offset == 24));
}
