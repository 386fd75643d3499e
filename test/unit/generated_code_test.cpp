#include "native/aggregate/generated_code.h"

#include <catch2/catch.hpp>

using namespace hotframe;

namespace {

const void* at(uintptr_t address) { return reinterpret_cast<const void*>(address); }

jmethodID method(uintptr_t id) { return reinterpret_cast<jmethodID>(id); }

}  // namespace

TEST_CASE("pcs in generated code name their stub or compiled method", "[generated_code]") {
    GeneratedCode code;
    code.add_stub(at(0x1000), 0x100, "Interpreter");
    code.add_method(method(7), at(0x2000), 0x80);
    CHECK(code.find(0x1000)->name == "Interpreter");
    CHECK(code.find(0x10ff)->method == nullptr);
    CHECK(!code.find(0x1100));  // one past the end
    CHECK(!code.find(0xfff));
    CHECK(code.find(0x2040)->method == method(7));
    code.remove_method(at(0x2000));
    CHECK(!code.find(0x2040));
}

TEST_CASE("new code replaces whatever it overlaps: freed code is reused without an event", "[generated_code]") {
    GeneratedCode code;
    code.add_method(method(1), at(0x1000), 0x100);
    code.add_method(method(2), at(0x1100), 0x100);
    code.add_method(method(3), at(0x10f0), 0x20);  // overlaps the end of 1 and the start of 2
    CHECK(!code.find(0x1000));
    CHECK(code.find(0x10f8)->method == method(3));
    CHECK(!code.find(0x1150));
    code.add_stub(at(0x10f0), 0x20, "StubRoutines (1)");  // the same range again: replaced
    CHECK(code.find(0x10f8)->name == "StubRoutines (1)");
}

TEST_CASE("a range's serial names it alone: new code at the same address gets another", "[generated_code]") {
    GeneratedCode code;
    code.add_stub(at(0x1000), 0x100, "Interpreter");
    code.add_stub(at(0x2000), 0x100, "StubRoutines (1)");
    uint64_t interpreter = code.find(0x1010)->range_serial;
    CHECK(code.find(0x10f0)->range_serial == interpreter);
    CHECK(code.find(0x2010)->range_serial != interpreter);
    // Without the name: the same range, nothing copied.
    std::optional<GeneratedCode::Owner> bare = code.find(0x1010, false);
    REQUIRE(bare);
    CHECK(bare->range_serial == interpreter);
    CHECK(bare->name.empty());
    code.add_stub(at(0x1000), 0x100, "Interpreter");  // freed and generated again at the same place
    CHECK(code.find(0x1010)->range_serial != interpreter);
}
