#include "native/output/flame_tree.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using hotframe::build_flame_tree;
using hotframe::FlameTree;
using hotframe::FrameKind;
using hotframe::Profile;
using hotframe::ProfileBuilder;

namespace {

// "depth:name" for each node in pre-order: the whole tree shape in one comparable value.
std::vector<std::string> shape(const FlameTree& tree) {
    std::vector<std::string> out;
    for (size_t n = 0; n < tree.node_count(); n++) {
        out.push_back(std::to_string(tree.depth[n]) + ":" + std::string(tree.name_of(n)));
    }
    return out;
}

}  // namespace

TEST_CASE("stacks sharing a prefix merge into one path, siblings ordered by name", "[flame_tree]") {
    ProfileBuilder builder("cpu", "ns");
    uint32_t main_frame = builder.intern("Main.main", FrameKind::kInterpreted);
    uint32_t zeta = builder.intern("Zeta.run", FrameKind::kJitCompiled);
    uint32_t alpha = builder.intern("Alpha.run", FrameKind::kJitCompiled);
    builder.add_stack({main_frame, zeta}, 3, 30);
    builder.add_stack({main_frame, alpha}, 5, 50);
    builder.add_stack({main_frame}, 2, 20);
    builder.add_stack({main_frame, zeta}, 1, 10);  // the same path again adds to the same node
    Profile profile = builder.finish();

    FlameTree tree = build_flame_tree(profile, "all");

    CHECK(shape(tree) == std::vector<std::string>{"0:all", "1:Main.main", "2:Alpha.run", "2:Zeta.run"});
    CHECK(tree.samples == std::vector<uint64_t>{11, 11, 5, 4});
    CHECK(tree.self_samples == std::vector<uint64_t>{0, 2, 5, 4});
    CHECK(tree.weight == std::vector<uint64_t>{110, 110, 50, 40});
    CHECK(tree.self_weight == std::vector<uint64_t>{0, 20, 50, 40});
    CHECK(tree.samples[0] == profile.total_samples());
    CHECK(tree.max_depth == 2);
    CHECK(tree.kind_of(0) == FrameKind::kPseudo);
    CHECK(tree.kind_of(1) == FrameKind::kInterpreted);
}

TEST_CASE("one name with two kinds is two nodes but one string", "[flame_tree]") {
    ProfileBuilder builder("cpu", "");
    uint32_t jit = builder.intern("String.hashCode", FrameKind::kJitCompiled);
    uint32_t inlined = builder.intern("String.hashCode", FrameKind::kInlined);
    builder.add_stack({jit}, 1, 0);
    builder.add_stack({inlined}, 1, 0);
    Profile profile = builder.finish();

    FlameTree tree = build_flame_tree(profile, "all");

    REQUIRE(tree.node_count() == 3);
    CHECK(tree.names.size() == 2);  // "all" and "String.hashCode"
    CHECK(tree.frame_name.size() == 3);
    CHECK(tree.name_of(1) == tree.name_of(2));
    CHECK(tree.kind_of(1) != tree.kind_of(2));
}

TEST_CASE("stacks without samples and unknown frame indices are left out", "[flame_tree]") {
    ProfileBuilder builder("cpu", "ns");
    uint32_t a = builder.intern("A", FrameKind::kNative);
    uint32_t b = builder.intern("B", FrameKind::kNative);
    builder.add_stack({a, b}, 0, 99);
    builder.add_stack({a, 12345, b}, 2, 0);
    Profile profile = builder.finish();

    FlameTree tree = build_flame_tree(profile, "all");

    CHECK(shape(tree) == std::vector<std::string>{"0:all", "1:A", "2:B"});
    CHECK(tree.samples == std::vector<uint64_t>{2, 2, 2});
}

TEST_CASE("an empty profile is a lone root", "[flame_tree]") {
    Profile profile = ProfileBuilder("cpu", "ns").finish();
    FlameTree tree = build_flame_tree(profile, "all");
    REQUIRE(tree.node_count() == 1);
    CHECK(tree.samples[0] == 0);
    CHECK(tree.name_of(0) == "all");
}

TEST_CASE("a very deep stack is walked without recursion", "[flame_tree]") {
    ProfileBuilder builder("cpu", "ns");
    std::vector<uint32_t> frames;
    for (int i = 0; i < 100000; i++) frames.push_back(builder.intern("f" + std::to_string(i % 100), FrameKind::kCpp));
    builder.add_stack(frames, 1, 1);
    Profile profile = builder.finish();

    FlameTree tree = build_flame_tree(profile, "all");

    CHECK(tree.node_count() == 100001);
    CHECK(tree.max_depth == 100000);
    CHECK(tree.names.size() == 101);
    CHECK(tree.self_samples.back() == 1);
}

TEST_CASE("frames with lines are named Class.method:line, one node per line", "[flame_tree]") {
    ProfileBuilder builder("cpu", "ns");
    uint32_t main_frame = builder.intern("Main.main", FrameKind::kInterpreted, 7);
    uint32_t at30 = builder.intern("Service.render", FrameKind::kJitCompiled, 30);
    uint32_t at29 = builder.intern("Service.render", FrameKind::kJitCompiled, 29);
    builder.add_stack({main_frame, at30}, 3, 3);
    builder.add_stack({main_frame, at29}, 1, 1);
    Profile profile = builder.finish();
    FlameTree tree = build_flame_tree(profile, "all");
    CHECK(shape(tree) ==
          std::vector<std::string>{"0:all", "1:Main.main:7", "2:Service.render:29", "2:Service.render:30"});
    FlameTree moved = std::move(tree);
    CHECK(moved.name_of(3) == "Service.render:30");
}
