// The pseudo-frame of a failed vm walk names the kind of code the walker stopped in, from the fixed table of
// code_kinds.h; AsyncGetCallTrace's failures (no kind) keep the bare name.
#include <catch2/catch.hpp>

#include "native/aggregate/aggregator.h"
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
