#include "native/aggregate/record_frame_ids.h"

#include <sys/mman.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "native/capture/native_stack.h"
#include "native/symbols/native_symbols.h"

// Two functions of this program with plain C names, so that the symbol table names them as written. Not inlined
// and not dropped: the test takes pcs inside their code.
extern "C" __attribute__((noinline, used)) int hotframe_record_ids_leaf(int value) {
    return value * 7 + (value >> 3) - 11;
}
extern "C" __attribute__((noinline, used)) int hotframe_record_ids_caller(int value) {
    return hotframe_record_ids_leaf(value + 1) * 3;
}

namespace hotframe {

namespace {

// A record with `pcs` as its native frames (innermost first) and no Java or kernel frames.
std::vector<uint8_t> native_record(const std::vector<uintptr_t>& pcs, uint8_t native_end) {
    std::vector<uint8_t> bytes(record_size(static_cast<unsigned>(pcs.size())), 0);
    auto* header = reinterpret_cast<SampleHeader*>(bytes.data());
    header->tid = 1;
    header->status = kStatusNonJavaThread;
    header->native_count = static_cast<uint16_t>(pcs.size());
    header->native_end = native_end;
    AgctFrame* frames = record_frames(header);
    for (size_t i = 0; i < pcs.size(); i++) frames[i].method = reinterpret_cast<jmethodID>(pcs[i]);
    return bytes;
}

uintptr_t address_of(int (*function)(int)) { return reinterpret_cast<uintptr_t>(function); }

std::vector<std::string> names_of(const CallTraceTable& table, const std::vector<uint32_t>& ids) {
    std::vector<std::string> names;
    for (uint32_t id : ids) names.push_back(table.to_frame_name(id));
    return names;
}

}  // namespace

TEST_CASE("a record's native pcs become one frame per function, and a cut walk says so", "[aggregate]") {
    CallTraceTable table;
    PseudoFrameIds pseudo_frames(&table);
    RecordFrameIds ids(nullptr, nullptr, &table, &pseudo_frames, RecordFrameIdsSettings{});
    // The interrupted pc inside the leaf, then two return addresses: one more in the leaf (a recursive call, say)
    // and one in its caller. A return address is named one byte back, as the call it returns from.
    uintptr_t leaf = address_of(hotframe_record_ids_leaf);
    uintptr_t caller = address_of(hotframe_record_ids_caller);
    std::vector<uint8_t> record = native_record({leaf + 1, leaf + 2, caller + 2}, kWalkFull);
    const auto& header = *reinterpret_cast<const SampleHeader*>(record.data());

    std::vector<uint32_t> frames;
    ids.add_native_frames(nullptr, header, frames);
    REQUIRE(frames.size() == 4);
    CHECK(names_of(table, frames) == std::vector<std::string>{"hotframe_record_ids_leaf", "hotframe_record_ids_leaf",
                                                              "hotframe_record_ids_caller", "[truncated]"});
    // Two pcs of one function are one frame, whichever pc came first.
    CHECK(frames[0] == frames[1]);
    CHECK(frames[0] != frames[2]);

    // Appended after what the stack already holds, in the record's order.
    std::vector<uint32_t> again{frames[3]};
    ids.add_native_frames(nullptr, header, again);
    CHECK(std::vector<uint32_t>(again.begin() + 1, again.end()) == frames);
}

TEST_CASE("a pc in no loaded object is the JVM's generated code, and a walk that reached the end adds nothing",
          "[aggregate]") {
    CallTraceTable table;
    PseudoFrameIds pseudo_frames(&table);
    RecordFrameIds ids(nullptr, nullptr, &table, &pseudo_frames, RecordFrameIdsSettings{});
    // Anonymous memory belongs to no object, as the JVM's code cache does; without GeneratedCode (no JVM here) it
    // keeps the constant's name.
    void* page = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(page != MAP_FAILED);
    std::vector<uint8_t> record = native_record(
        {reinterpret_cast<uintptr_t>(page) + 16, address_of(hotframe_record_ids_caller) + 2}, kWalkOutermost);
    const auto& header = *reinterpret_cast<const SampleHeader*>(record.data());
    std::vector<uint32_t> frames;
    ids.add_native_frames(nullptr, header, frames);
    CHECK(names_of(table, frames) ==
          std::vector<std::string>{NativeSymbols::kGeneratedCodeName, "hotframe_record_ids_caller"});
    munmap(page, 4096);
}

TEST_CASE("after clear() a record's frames are named again in the cleared table", "[aggregate]") {
    CallTraceTable table;
    PseudoFrameIds pseudo_frames(&table);
    RecordFrameIds ids(nullptr, nullptr, &table, &pseudo_frames, RecordFrameIdsSettings{});
    std::vector<uint8_t> record = native_record({address_of(hotframe_record_ids_caller) + 1}, kWalkOutermost);
    const auto& header = *reinterpret_cast<const SampleHeader*>(record.data());
    std::vector<uint32_t> before;
    ids.add_native_frames(nullptr, header, before);
    REQUIRE(names_of(table, before) == std::vector<std::string>{"hotframe_record_ids_caller"});

    // A loop= interval: the table starts from nothing, and an id remembered from before would name another frame
    // or none.
    table.clear();
    ids.clear();
    table.intern_frame("[an interval's first frame]", FrameKind::kPseudo);
    std::vector<uint32_t> after;
    ids.add_native_frames(nullptr, header, after);
    CHECK(names_of(table, after) == std::vector<std::string>{"hotframe_record_ids_caller"});
}

}  // namespace hotframe
