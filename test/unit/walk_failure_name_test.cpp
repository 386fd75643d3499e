// The pseudo-frame of a failed vm walk names the kind of code the walker stopped in, from the fixed table of
// code_kinds.h; AsyncGetCallTrace's failures (no kind) keep the bare name.
// Their frame ids are cached by name (PseudoFrameIds); a cleared table must not get ids of the one before.
#include <catch2/catch.hpp>

#include "native/aggregate/aggregator.h"
#include "native/aggregate/call_trace_table.h"
#include "native/aggregate/pseudo_frames.h"
#include "native/capture/code_kinds.h"

using namespace hotframe;

TEST_CASE("a failed walk's pseudo-frame names the code it stopped in", "[aggregator]") {
    SampleHeader header{};
    CHECK(walk_failure_name("[unknown_Java]", header) == "[unknown_Java]");
    header.walk_code_kind = static_cast<uint8_t>(CodeKind::kVtableStub);
    CHECK(walk_failure_name("[unknown_Java]", header) == "[unknown_Java: vtable/itable stub]");
    header.walk_code_kind = static_cast<uint8_t>(CodeKind::kAdapter);
    CHECK(walk_failure_name("[broken_java]", header) == "[broken_java: I2C/C2I adapter]");
    header.walk_code_kind = static_cast<uint8_t>(CodeKind::kCount);  // a number no kind has: no name
    CHECK(walk_failure_name("[not_walkable_Java]", header) == "[not_walkable_Java]");
}

TEST_CASE("every code kind has a name", "[aggregator]") {
    for (unsigned kind = 1; kind < static_cast<unsigned>(CodeKind::kCount); kind++) {
        CHECK(*code_kind_name(static_cast<uint8_t>(kind)) != '\0');
    }
    CHECK(*code_kind_name(0) == '\0');
}

TEST_CASE("pseudo-frame ids are cached per name and code kind, and start again when the table is cleared",
          "[aggregator]") {
    CallTraceTable table;
    PseudoFrameIds ids(&table);
    uint32_t truncated = ids.constant("[truncated]");
    CHECK(table.to_frame_name(truncated) == "[truncated]");
    CHECK(ids.constant("[truncated]") == truncated);
    const char* unknown_java = status_frame_name(kStatusUnknownJava);
    uint32_t bare = ids.walk_failure(unknown_java, 0);
    uint32_t in_stub = ids.walk_failure(unknown_java, static_cast<uint8_t>(CodeKind::kVtableStub));
    CHECK(bare != in_stub);
    CHECK(table.to_frame_name(bare) == "[unknown_Java]");
    CHECK(table.to_frame_name(in_stub) == "[unknown_Java: vtable/itable stub]");
    CHECK(ids.walk_failure(unknown_java, static_cast<uint8_t>(CodeKind::kVtableStub)) == in_stub);
    // The same name from the table itself: the cache hands out the table's ids, not ids of its own.
    CHECK(table.intern_frame("[unknown_Java: vtable/itable stub]", FrameKind::kPseudo) == in_stub);

    // After a clear (a loop= interval) the ids name other frames: the cache must not hand out the old ones.
    table.clear();
    uint32_t first = table.intern_frame("first in the new interval", FrameKind::kJitCompiled);
    uint32_t again = ids.constant("[truncated]");
    CHECK(again != first);
    CHECK(table.to_frame_name(again) == "[truncated]");
    CHECK(table.to_frame_name(ids.walk_failure(unknown_java, 0)) == "[unknown_Java]");
}

TEST_CASE("past memlimit a pseudo-frame not stored yet is the over-limit frame until the table is cleared",
          "[aggregator]") {
    CallTraceTable table(4096);
    PseudoFrameIds ids(&table);
    uint32_t truncated = ids.constant("[truncated]");
    for (int i = 0; !table.over_limit(); i++) table.intern_frame("filler" + std::to_string(i), FrameKind::kNative);
    CHECK(ids.constant("[truncated]") == truncated);  // stored before the limit: still itself
    CHECK(ids.constant("[native_fault]") == table.over_limit_frame());
    CHECK(ids.constant("[native_fault]") == table.over_limit_frame());
    table.clear();
    CHECK(table.to_frame_name(ids.constant("[native_fault]")) == "[native_fault]");
}
