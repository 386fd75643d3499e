#include "native/aggregate/call_trace_table.h"

#include <catch2/catch.hpp>

#include "native/aggregate/class_names.h"
#include "native/aggregate/method_symbols.h"
#include "native/capture/sample_record.h"

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
    table.clear();
    CHECK(table.total_samples() == 0);
    CHECK(table.distinct_stacks() == 0);
    CHECK(table.counted_bytes() == 0);
}

TEST_CASE("memlimit: past the cap new stacks count under one pseudo-frame and the table stops growing", "[table]") {
    CallTraceTable table(64 * 1024);
    uint32_t root = table.intern_frame("root", FrameKind::kInterpreted);
    uint32_t known = table.intern_frame("known", FrameKind::kJitCompiled);
    table.add({known, root}, 1, 10);
    uint64_t added = 0;
    // Millions of distinct stacks would come from a workload that makes new classes all the time.
    for (int i = 0; i < 20000; i++) {
        uint32_t leaf = table.intern_frame("generated.Class" + std::to_string(i) + ".run", FrameKind::kJitCompiled);
        table.add({leaf, root}, 1, 10);
        added++;
    }
    CHECK(table.over_limit());
    CHECK(table.counted_bytes() < 64 * 1024 + 1024);  // one frame and one stack at most past the limit
    CHECK(table.samples_over_limit() > 0);
    // A stack seen before the limit still counts as itself.
    table.add({known, root}, 1, 10);
    Profile profile = table.to_profile("cpu", "ns");
    CHECK(profile.total_samples() == added + 2);  // widths still add up
    uint64_t over = 0, known_samples = 0;
    for (const ProfileStack& stack : profile.stacks) {
        const std::string& leaf = profile.frames[stack.frames.back()].name;
        if (leaf == CallTraceTable::kOverLimitFrame) over += stack.samples;
        if (leaf == "known") known_samples += stack.samples;
    }
    CHECK(over == table.samples_over_limit());
    CHECK(known_samples == 2);
    // A new interval starts empty and below the limit again.
    table.clear();
    CHECK_FALSE(table.over_limit());
    CHECK(table.samples_over_limit() == 0);
}

TEST_CASE("class signatures become Java names", "[symbols]") {
    CHECK(java_class_name_from_signature("Ljava/util/regex/Pattern;") == "java.util.regex.Pattern");
    CHECK(java_class_name_from_signature("Ljava/util/Map$Entry;") == "java.util.Map$Entry");
    CHECK(java_class_name_from_signature("I") == "I");
    CHECK(java_class_name_from_signature("Lcom/acme/App$$Lambda$14.0x0000000800c0b448;") == "com.acme.App$$Lambda$14");
    CHECK(java_class_name_from_signature("Lcom/acme/App$$Lambda/0x0000000800c0b448;") == "com.acme.App$$Lambda");
}

TEST_CASE("the events of a session share frame names but keep their own counts", "[table]") {
    CallTraceTable table;
    uint32_t leaf = table.intern_frame("leaf", FrameKind::kJitCompiled);
    uint32_t bytes = table.intern_frame("byte[]", FrameKind::kPseudo);
    table.add({leaf}, 1, 10, kEventExecution);
    table.add({bytes, leaf}, 1, 4096, kEventAlloc);
    table.add({bytes, leaf}, 1, 4096, kEventAlloc);
    CHECK(table.total_samples() == 3);
    Profile cpu = table.to_profile("cpu", "ns", kEventExecution);
    Profile alloc = table.to_profile("alloc", "bytes", kEventAlloc);
    REQUIRE(cpu.stacks.size() == 1);
    CHECK(cpu.total_weight() == 10);
    REQUIRE(alloc.stacks.size() == 1);
    CHECK(alloc.stacks[0].samples == 2);
    CHECK(alloc.total_weight() == 8192);
    CHECK(alloc.frames[alloc.stacks[0].frames.back()].name == "byte[]");
    CHECK(table.to_profile("lock", "ns", kEventLock).stacks.empty());
}

TEST_CASE("type signatures become the names Java programmers write", "[symbols]") {
    CHECK(java_type_name("[B") == "byte[]");
    CHECK(java_type_name("Ljava/lang/String;") == "java.lang.String");
    CHECK(java_type_name("[[Ljava/lang/Object;") == "java.lang.Object[][]");
    CHECK(java_type_name("[J") == "long[]");
    ClassNames names;
    uint32_t id = names.intern("byte[]");
    CHECK(id != 0);
    CHECK(names.intern("byte[]") == id);
    CHECK(names.name_of(id) == "byte[]");
    CHECK(names.name_of(0) == "[unknown_class]");
    CHECK(names.name_of(999) == "[unknown_class]");
}

TEST_CASE("a shortened frame keeps the full names it stands for, a few of them", "[table]") {
    CallTraceTable table;
    uint32_t id = table.intern_frame("Foo::bar", FrameKind::kCpp);
    table.add_frame_full_name(id, "Foo::bar(int)");
    table.add_frame_full_name(id, "Foo::bar(int)");
    table.add_frame_full_name(id, "Foo::bar");  // the name itself adds nothing
    CHECK(table.to_profile("cpu", "ns").frames[id].full_name == "Foo::bar(int)");
    for (const char* overload :
         {"Foo::bar(long)", "Foo::bar(char)", "Foo::bar(short)", "Foo::bar(float)", "Foo::bar(double)"}) {
        table.add_frame_full_name(id, overload);
    }
    CHECK(table.to_profile("cpu", "ns").frames[id].full_name ==
          "Foo::bar(int)\nFoo::bar(long)\nFoo::bar(char)\nFoo::bar(short)\n...");
}

TEST_CASE("with lines, one method on two lines is two frames, and past memlimit a new line is not stored", "[table]") {
    CallTraceTable table(256 * 1024);
    uint32_t at12 = table.intern_frame("demo.Service.render", FrameKind::kJitCompiled, 12);
    uint32_t at14 = table.intern_frame("demo.Service.render", FrameKind::kJitCompiled, 14);
    uint32_t no_line = table.intern_frame("demo.Service.render", FrameKind::kJitCompiled);
    CHECK(at12 != at14);
    CHECK(no_line != at12);
    CHECK(table.intern_frame("demo.Service.render", FrameKind::kJitCompiled, 12) == at12);
    table.add({at12}, 1, 10);
    table.add({at14}, 1, 10);
    Profile profile = table.to_profile("cpu", "ns");
    CHECK(profile.stacks.size() == 2);
    CHECK(frame_label(profile.frames[at12]) == "demo.Service.render:12");
    CHECK(frame_label(profile.frames[no_line]) == "demo.Service.render");
    // Fill the table to its cap with lines of one method: each is a frame that is counted.
    int32_t line = 100;
    while (!table.over_limit()) table.intern_frame("demo.Service.render", FrameKind::kJitCompiled, line++);
    CHECK(table.intern_frame("demo.Service.render", FrameKind::kJitCompiled, line + 1) == table.over_limit_frame());
    CHECK(table.intern_frame("demo.Service.render", FrameKind::kJitCompiled, 14) == at14);
}

TEST_CASE("the call-trace table keeps many stacks apart, by frames and by event, across its index's growth",
          "[table]") {
    CallTraceTable table;
    uint32_t root = table.intern_frame("root", FrameKind::kInterpreted);
    std::vector<uint32_t> leaves;
    for (int i = 0; i < 3000; i++) {
        leaves.push_back(table.intern_frame("leaf" + std::to_string(i), FrameKind::kJitCompiled));
    }
    // Each leaf under root, twice for cpu and once for event 1; the same ids in another order are another stack.
    for (int round = 0; round < 2; round++) {
        for (uint32_t leaf : leaves) table.add({leaf, root}, 1, 10);
    }
    for (uint32_t leaf : leaves) table.add({leaf, root}, 1, 7, 1);
    table.add({root, leaves[0]}, 1, 1);
    table.add({}, 1, 1);  // an empty stack is a stack too
    table.add({}, 1, 1);
    CHECK(table.distinct_stacks() == 2 * leaves.size() + 2);
    Profile cpu = table.to_profile("cpu", "ns");
    CHECK(cpu.stacks.size() == leaves.size() + 2);
    CHECK(cpu.total_samples() == 2 * leaves.size() + 3);
    for (const ProfileStack& stack : cpu.stacks) {
        if (stack.frames.size() == 2 && stack.frames[0] == root) CHECK(stack.samples == 2);
        if (stack.frames.size() == 2 && stack.frames[0] == root) CHECK(stack.weight == 20);
        if (stack.frames.size() == 2 && stack.frames[1] == root) CHECK(stack.samples == 1);
        if (stack.frames.empty()) CHECK(stack.samples == 2);
    }
    Profile other = table.to_profile("alloc", "bytes", 1);
    CHECK(other.stacks.size() == leaves.size());
    CHECK(other.total_weight() == 7 * leaves.size());
}
