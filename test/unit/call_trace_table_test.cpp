#include "native/aggregate/call_trace_table.h"

#include <catch2/catch.hpp>

#include "native/aggregate/method_symbols.h"

using namespace hotframe;

TEST_CASE("the call-trace table counts identical stacks together and turns them root-first", "[table]") {
    CallTraceTable table;
    uint32_t leaf = table.intern_frame("leaf", FrameKind::kJitCompiled);
    uint32_t root = table.intern_frame("root", FrameKind::kInterpreted);
    CHECK(table.intern_frame("leaf", FrameKind::kJitCompiled) == leaf);
    CHECK(table.intern_frame("leaf", FrameKind::kInlined) != leaf);
    table.add({leaf, root}, 1, 10);
    table.add({leaf, root}, 1, 10);
    table.add({root}, 1, 10);
    CHECK(table.total_samples() == 3);
    CHECK(table.distinct_stacks() == 2);
    Profile profile = table.to_profile("cpu", "ns");
    REQUIRE(profile.stacks.size() == 2);
    CHECK(profile.total_samples() == 3);
    CHECK(profile.total_weight() == 30);
    for (const ProfileStack& stack : profile.stacks) {
        CHECK(profile.frames[stack.frames.front()].name == "root");
        if (stack.frames.size() == 2) CHECK(stack.samples == 2);
    }
    table.clear_stacks();
    CHECK(table.total_samples() == 0);
    CHECK(table.intern_frame("leaf", FrameKind::kJitCompiled) == leaf);
}

TEST_CASE("class signatures become Java names", "[symbols]") {
    CHECK(java_class_name_from_signature("Ljava/util/regex/Pattern;") == "java.util.regex.Pattern");
    CHECK(java_class_name_from_signature("Ljava/util/Map$Entry;") == "java.util.Map$Entry");
    CHECK(java_class_name_from_signature("I") == "I");
    CHECK(java_class_name_from_signature("Lcom/acme/App$$Lambda$14.0x0000000800c0b448;") == "com.acme.App$$Lambda$14");
    CHECK(java_class_name_from_signature("Lcom/acme/App$$Lambda/0x0000000800c0b448;") == "com.acme.App$$Lambda");
}
