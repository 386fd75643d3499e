#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <string>

#include "native/analysis/flat_report.h"
#include "native/analysis/gzip.h"
#include "native/analysis/pprof.h"
#include "native/analysis/profile_diff.h"
#include "native/analysis/profile_file.h"
#include "native/analysis/protobuf_wire.h"

using namespace hotframe;

namespace {

LoadedProfile collapsed(const std::string& text) {
    LoadedProfile loaded;
    Status parsed = parse_collapsed(text, &loaded);
    REQUIRE(parsed.is_ok());
    return loaded;
}

// Each frame's share of the total (0..100) in the merged diff's BEFORE (weight) and AFTER (samples) sides,
// counting a frame once per stack.
std::map<std::string, std::pair<double, double>> frame_shares(const Profile& merged) {
    std::map<std::string, std::pair<double, double>> shares;
    for (const ProfileStack& stack : merged.stacks) {
        for (uint32_t frame : stack.frames) {
            auto& share = shares[merged.frames[frame].name];
            share.first += 100.0 * stack.weight / kDiffScale;
            share.second += 100.0 * stack.samples / kDiffScale;
        }
    }
    return shares;
}

std::map<std::string, std::pair<uint64_t, uint64_t>> stacks_by_name(const Profile& profile) {
    std::map<std::string, std::pair<uint64_t, uint64_t>> stacks;
    for (const ProfileStack& stack : profile.stacks) {
        std::string key;
        for (uint32_t frame : stack.frames) key += profile.frames[frame].name + ";";
        stacks[key].first += stack.samples;
        stacks[key].second += stack.weight;
    }
    return stacks;
}

}  // namespace

TEST_CASE("the diff of two profiles gives each frame's change of share, normalised", "[diff]") {
    // BEFORE: compile 60 of 100; AFTER (twice as long): compile 20 of 200, match 180 of 200.
    LoadedProfile before = collapsed("main;highlight;compile 60\nmain;highlight;match 40\n");
    LoadedProfile after = collapsed("main;highlight;compile 20\nmain;highlight;match 180\n");
    Profile merged;
    REQUIRE(diff_profiles(before, after, &merged).is_ok());
    auto shares = frame_shares(merged);
    CHECK(shares["compile"].first == Approx(60.0));
    CHECK(shares["compile"].second == Approx(10.0));
    CHECK(shares["match"].first == Approx(40.0));
    CHECK(shares["match"].second == Approx(90.0));
    CHECK(shares["main"].first == Approx(100.0));
    CHECK(shares["main"].second == Approx(100.0));
}

TEST_CASE("a frame only in BEFORE comes out shrunk to zero, not missing", "[diff]") {
    LoadedProfile before = collapsed("main;old_path 30\nmain;work 70\n");
    LoadedProfile after = collapsed("main;work 50\n");
    Profile merged;
    REQUIRE(diff_profiles(before, after, &merged).is_ok());
    auto shares = frame_shares(merged);
    REQUIRE(shares.count("old_path") == 1);
    CHECK(shares["old_path"].first == Approx(30.0));
    CHECK(shares["old_path"].second == 0.0);
    std::string script = render_diff_collapsed(before, after);
    CHECK_THAT(script, Catch::Contains("main;old_path 30 0\n"));
    CHECK_THAT(script, Catch::Contains("main;work 70 50\n"));
}

TEST_CASE("profiles of different events do not compare", "[diff]") {
    LoadedProfile cpu = collapsed("# hotframe cpu profile, one stack per line: the values are samples\na;b 1\n");
    LoadedProfile alloc =
        collapsed("# hotframe alloc profile, one stack per line: the values are estimated bytes allocated\na;b 4096\n");
    CHECK(alloc.weighted);
    CHECK(alloc.profile.weight_unit == "bytes");
    Profile merged;
    Status compared = diff_profiles(cpu, alloc, &merged);
    REQUIRE_FALSE(compared.is_ok());
    CHECK(compared.message() == "cannot compare a cpu profile with an alloc profile");
}

TEST_CASE("collapsed input: suffixes set kinds, bad lines are named", "[diff]") {
    LoadedProfile loaded = collapsed("java.lang.Thread.run_[j];foo_[i];sys_write_[k] 5\n");
    REQUIRE(loaded.profile.frames.size() == 3);
    CHECK(loaded.profile.frames[0].name == "java.lang.Thread.run");
    CHECK(loaded.profile.frames[0].kind == FrameKind::kJitCompiled);
    CHECK(loaded.profile.frames[1].kind == FrameKind::kInlined);
    CHECK(loaded.profile.frames[2].kind == FrameKind::kKernel);
    LoadedProfile bad;
    Status parsed = parse_collapsed("a;b 3\nthis is not a stack\n", &bad);
    REQUIRE_FALSE(parsed.is_ok());
    CHECK_THAT(parsed.message(), Catch::Contains("line 2"));
    CHECK_FALSE(parse_collapsed("# only a comment\n", &bad).is_ok());
}

TEST_CASE("the pprof writer's output decodes back to the same stacks and weights", "[pprof]") {
    ProfileBuilder builder("cpu", "ns");
    uint32_t run = builder.intern("java.lang.Thread.run", FrameKind::kInterpreted);
    uint32_t compile = builder.intern("java.util.regex.Pattern.compile", FrameKind::kJitCompiled);
    uint32_t match = builder.intern("java.util.regex.Matcher.find", FrameKind::kInlined);
    uint32_t thread = builder.intern("[worker-1 tid=4242]", FrameKind::kPseudo);
    builder.add_stack({run, compile}, 3, 30'000'000);
    builder.add_stack({run, match}, 7, 70'000'000);
    builder.add_stack({thread, run, match}, 2, 20'000'000);
    Profile original = builder.finish();
    std::string file = encode_pprof_gzipped(original, PprofMetadata{1, 2, 10'000'000});
    CHECK(looks_gzipped(file));
    Profile decoded;
    REQUIRE(read_pprof(file, &decoded).is_ok());
    CHECK(decoded.event == "cpu");
    CHECK(decoded.weight_unit == "ns");
    auto stacks = stacks_by_name(decoded);
    // The thread root became a label: its stack merges with the same frames of other threads.
    CHECK(stacks.size() == 2);
    CHECK(stacks["java.lang.Thread.run;java.util.regex.Pattern.compile;"] ==
          std::make_pair(uint64_t{3}, uint64_t{30'000'000}));
    CHECK(stacks["java.lang.Thread.run;java.util.regex.Matcher.find;"] ==
          std::make_pair(uint64_t{9}, uint64_t{90'000'000}));
}

TEST_CASE("alloc and lock profiles get pprof's sample types for them", "[pprof]") {
    for (const char* event : {"alloc", "lock", "wall"}) {
        INFO(event);
        ProfileBuilder builder(event, std::string(event) == "alloc" ? "bytes" : "ns");
        builder.add_stack({builder.intern("a", FrameKind::kInterpreted)}, 1, 512);
        Profile decoded;
        REQUIRE(read_pprof(encode_pprof_message(builder.finish(), PprofMetadata{}), &decoded).is_ok());
        CHECK(decoded.event == event);
    }
    std::string raw = encode_pprof_message(ProfileBuilder("alloc", "bytes").finish(), PprofMetadata{});
    CHECK(raw.find("alloc_space") != std::string::npos);
    CHECK(raw.find("alloc_samples") != std::string::npos);
}

TEST_CASE("broken pprof input gives an error, never a crash", "[pprof]") {
    ProfileBuilder builder("cpu", "ns");
    builder.add_stack({builder.intern("a", FrameKind::kInterpreted)}, 1, 10);
    std::string file = encode_pprof_gzipped(builder.finish(), PprofMetadata{});
    Profile decoded;
    Status truncated = read_pprof(file.substr(0, file.size() / 2), &decoded);
    REQUIRE_FALSE(truncated.is_ok());
    CHECK(truncated.message() == "truncated or corrupt gzip data");
    std::string raw = encode_pprof_message(builder.finish(), PprofMetadata{});
    for (size_t cut = 1; cut < raw.size(); cut++) {
        Profile partial;
        Status read = read_pprof(raw.substr(0, cut), &partial);
        (void)read;  // some prefixes are well-formed shorter messages; none may crash or read past the end
    }
    CHECK_FALSE(read_pprof(std::string("\x0a\xff\xff\xff\xff\x0f", 6), &decoded).is_ok());
}

TEST_CASE("protobuf varints round-trip", "[pprof]") {
    ProtoWriter writer;
    writer.varint_field(1, 0);
    writer.varint_field(2, 300);
    writer.varint_field(3, UINT64_MAX);
    writer.packed_field(4, std::vector<uint64_t>{1, 128, 16384});
    ProtoReader reader(writer.bytes());
    std::vector<uint64_t> values;
    while (reader.next()) reader.read_repeated(values);
    CHECK_FALSE(reader.failed());
    CHECK(values == std::vector<uint64_t>{0, 300, UINT64_MAX, 1, 128, 16384});
}

TEST_CASE("the flat report ranks by self and total and names a dominant frame", "[flat]") {
    LoadedProfile loaded =
        collapsed("main;highlight;compile 40\nmain;highlight;match 35\nmain;other 25\n[w tid=1];main;other 0\n");
    FlatReport report = make_flat_report(loaded, 10);
    CHECK(report.total == 100);
    REQUIRE(report.by_self.size() == 3);
    CHECK(report.by_self[0].name == "compile");
    CHECK(report.by_self[0].share == Approx(0.40));
    CHECK(report.by_total[0].name == "main");
    CHECK(report.by_total[0].share == Approx(1.0));
    CHECK(report.headline == "hot frame: compile holds 40.0% of the samples by itself");
    std::string text = render_flat_text(report);
    CHECK(text.rfind("hot frame: compile", 0) == 0);
    CHECK_THAT(render_flat_json(report), Catch::Contains("\"by_self\":[{\"name\":\"compile\",\"value\":40"));

    LoadedProfile spread = collapsed("a 25\nb 25\nc 25\nd 25\n");
    CHECK(make_flat_report(spread, 10).headline.empty());
}
