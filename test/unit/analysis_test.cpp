#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <string>
#include <unordered_map>

#include "native/analysis/flat_report.h"
#include "native/analysis/gzip.h"
#include "native/analysis/pprof.h"
#include "native/analysis/profile_diff.h"
#include "native/analysis/profile_file.h"
#include "native/analysis/protobuf_wire.h"
#include "native/seeded_hash.h"

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

namespace {

// The parts of a profile.proto message that carry lines, decoded field by field.
struct DecodedPprof {
    struct Line {
        std::string function;
        std::string file;
        int64_t line = 0;
    };
    std::vector<std::vector<Line>> locations;  // each location's Lines, innermost first
    std::vector<std::vector<uint64_t>> samples;
    std::map<uint64_t, size_t> location_index;  // location id -> index in locations
    std::map<int, uint64_t> mapping_flags;      // field number -> value
};

DecodedPprof decode_pprof(const std::string& message) {
    std::vector<std::string> strings;
    std::map<uint64_t, std::pair<uint64_t, uint64_t>> functions;  // id -> (name, file) string indices
    std::vector<std::pair<uint64_t, std::vector<std::pair<uint64_t, int64_t>>>> raw_locations;
    DecodedPprof decoded;
    ProtoReader reader(message);
    while (reader.next()) {
        if (reader.field() == 6) strings.emplace_back(reader.bytes());
        if (reader.field() == 5) {
            ProtoReader function(reader.bytes());
            uint64_t id = 0, name = 0, file = 0;
            while (function.next()) {
                if (function.field() == 1) id = function.varint();
                if (function.field() == 2) name = function.varint();
                if (function.field() == 4) file = function.varint();
            }
            CHECK(functions.count(id) == 0);  // one Function per id
            functions[id] = {name, file};
        }
        if (reader.field() == 4) {
            ProtoReader location(reader.bytes());
            uint64_t id = 0;
            std::vector<std::pair<uint64_t, int64_t>> lines;
            while (location.next()) {
                if (location.field() == 1) id = location.varint();
                if (location.field() != 4) continue;
                ProtoReader line(location.bytes());
                std::pair<uint64_t, int64_t> entry{0, 0};
                while (line.next()) {
                    if (line.field() == 1) entry.first = line.varint();
                    if (line.field() == 2) entry.second = static_cast<int64_t>(line.varint());
                }
                lines.push_back(entry);
            }
            raw_locations.emplace_back(id, lines);
        }
        if (reader.field() == 3) {
            ProtoReader mapping(reader.bytes());
            while (mapping.next()) {
                if (mapping.field() >= 7) decoded.mapping_flags[static_cast<int>(mapping.field())] = mapping.varint();
            }
        }
        if (reader.field() == 2) {
            ProtoReader sample(reader.bytes());
            std::vector<uint64_t> ids;
            while (sample.next()) {
                if (sample.field() == 1) sample.read_repeated(ids);
            }
            decoded.samples.push_back(ids);
        }
    }
    for (const auto& [id, lines] : raw_locations) {
        decoded.location_index[id] = decoded.locations.size();
        std::vector<DecodedPprof::Line> named;
        for (const auto& [function, number] : lines) {
            auto [name, file] = functions.at(function);
            named.push_back({strings.at(name), file == 0 ? "" : strings.at(file), number});
        }
        decoded.locations.push_back(named);
    }
    return decoded;
}

}  // namespace

TEST_CASE("pprof: a Location per frame and line, inlined frames as Lines of their caller's Location", "[pprof]") {
    ProfileBuilder builder("cpu", "ns");
    uint32_t run = builder.intern("demo.App.run", FrameKind::kInterpreted, 36);
    uint32_t render = builder.intern("demo.HighlightService.render", FrameKind::kJitCompiled, 30);
    uint32_t render_other = builder.intern("demo.HighlightService.render", FrameKind::kJitCompiled, 31);
    uint32_t quote = builder.intern("java.util.regex.Pattern.quote", FrameKind::kInlined, 1747);
    uint32_t length = builder.intern("java.lang.String.length", FrameKind::kInlined, 0);  // no bci
    uint32_t native = builder.intern("java.lang.Object.hashCode", FrameKind::kNative);
    builder.set_file(render, "demo/HighlightService.java");
    builder.set_file(render_other, "demo/HighlightService.java");
    builder.set_file(quote, "java/util/regex/Pattern.java");
    builder.add_stack({run, render, quote, length}, 3, 30);  // length inlined into quote inlined into render
    builder.add_stack({run, render_other, native}, 2, 20);
    builder.add_stack({run, render, quote}, 1, 10);  // a shorter inlined chain: a Location of its own
    Profile profile = builder.finish();
    DecodedPprof decoded = decode_pprof(encode_pprof_message(profile, PprofMetadata{}));

    CHECK(decoded.mapping_flags[7] == 1);  // has_functions
    CHECK(decoded.mapping_flags[8] == 1);  // has_filenames
    CHECK(decoded.mapping_flags[9] == 1);  // has_line_numbers
    CHECK(decoded.mapping_flags[10] == 1);
    REQUIRE(decoded.samples.size() == 3);
    // Leaf first: one Location for render with both inlined frames, then run's.
    REQUIRE(decoded.samples[0].size() == 2);
    const auto& chain = decoded.locations[decoded.location_index[decoded.samples[0][0]]];
    REQUIRE(chain.size() == 3);
    CHECK(chain[0].function == "java.lang.String.length");
    CHECK(chain[0].line == 0);
    CHECK(chain[1].function == "java.util.regex.Pattern.quote");
    CHECK(chain[1].line == 1747);
    CHECK(chain[1].file == "java/util/regex/Pattern.java");
    CHECK(chain[2].function == "demo.HighlightService.render");
    CHECK(chain[2].line == 30);
    CHECK(chain[2].file == "demo/HighlightService.java");
    const auto& root = decoded.locations[decoded.location_index[decoded.samples[0][1]]];
    REQUIRE(root.size() == 1);
    CHECK(root[0].line == 36);
    // The same method on another line: another Location of the same Function; a native method has no line.
    REQUIRE(decoded.samples[1].size() == 3);
    CHECK(decoded.locations[decoded.location_index[decoded.samples[1][0]]][0].line == 0);
    CHECK(decoded.locations[decoded.location_index[decoded.samples[1][1]]][0].line == 31);
    CHECK(decoded.samples[1][2] == decoded.samples[0][1]);  // run:36 is one Location for both stacks
    REQUIRE(decoded.samples[2].size() == 2);
    CHECK(decoded.locations[decoded.location_index[decoded.samples[2][0]]].size() == 2);
    CHECK(decoded.samples[2][0] != decoded.samples[0][0]);
    CHECK(decoded.locations.size() == 5);

    // Read back: lines and inlining survive, and the report ranks by them.
    LoadedProfile loaded;
    loaded.weighted = true;
    REQUIRE(read_pprof(encode_pprof_gzipped(profile, PprofMetadata{}), &loaded.profile).is_ok());
    FlatReport by_line = make_flat_report(loaded, 10, true);
    CHECK(by_line.lines);
    REQUIRE(by_line.by_total.size() >= 3);
    CHECK(by_line.by_total[0].name == "demo.App.run:36");
    CHECK(by_line.by_total[1].name == "demo.HighlightService.render:30");
    CHECK(by_line.by_total[1].value == 40);
    CHECK(by_line.by_self[0].name == "java.lang.String.length");
    FlatReport by_method = make_flat_report(loaded, 10);
    CHECK(by_method.by_total[1].name == "demo.HighlightService.render");
    CHECK(by_method.by_total[1].value == 60);
    CHECK_THAT(render_flat_text(by_line), Catch::Contains("top lines by self"));
    CHECK_THAT(render_flat_json(by_line), Catch::Contains("\"ranks\":\"lines\""));
}

TEST_CASE("collapsed frames with lines: report --lines ranks lines, the default adds them up per method", "[flat]") {
    LoadedProfile loaded = collapsed(
        "main:3;demo.Service.render:12;java.util.regex.Pattern.compile:1069 50\n"
        "main:3;demo.Service.render:14;java.lang.String.length 30\n"
        "main:3;demo.Service.render:12_[j];Native.call 20\n"
        "[worker:1 tid=7];main:3 0\n");
    // Annotations and lines together; a pseudo-frame keeps its colon; a frame without a line has none.
    const Profile& profile = loaded.profile;
    std::map<std::string, int32_t> lines;
    for (const ProfileFrame& frame : profile.frames) lines[frame.name] = frame.line;
    CHECK(lines["main"] == 3);
    CHECK(lines["java.util.regex.Pattern.compile"] == 1069);
    CHECK(lines["java.lang.String.length"] == 0);
    CHECK(lines["[worker:1 tid=7]"] == 0);

    FlatReport by_line = make_flat_report(loaded, 10, true);
    REQUIRE(by_line.by_total.size() >= 3);
    CHECK(by_line.by_total[0].name == "main:3");
    CHECK(by_line.by_total[1].name == "demo.Service.render:12");
    CHECK(by_line.by_total[1].value == 70);
    CHECK(by_line.by_total[2].name == "java.util.regex.Pattern.compile:1069");
    FlatReport by_method = make_flat_report(loaded, 10);
    // Ties by name: the method and main both hold everything.
    CHECK(by_method.by_total[0].name == "demo.Service.render");
    CHECK(by_method.by_total[0].value == 100);
    CHECK(by_method.stacks[0].name == "main;demo.Service.render;java.util.regex.Pattern.compile");
}

TEST_CASE("diff of line-level profiles: the same method on another line is another frame", "[diff]") {
    LoadedProfile before = collapsed("main:3;demo.Service.render:12 60\nmain:3;demo.Service.render:14 40\n");
    LoadedProfile after = collapsed("main:3;demo.Service.render:12 10\nmain:3;demo.Service.render:14 90\n");
    Profile merged;
    REQUIRE(diff_profiles(before, after, &merged).is_ok());
    std::map<std::string, std::pair<double, double>> shares;
    for (const ProfileStack& stack : merged.stacks) {
        auto& share = shares[frame_label(merged.frames[stack.frames.back()])];
        share.first += 100.0 * stack.weight / kDiffScale;
        share.second += 100.0 * stack.samples / kDiffScale;
    }
    REQUIRE(shares.size() == 2);
    CHECK(shares["demo.Service.render:12"].first == Approx(60));
    CHECK(shares["demo.Service.render:12"].second == Approx(10));
    CHECK(shares["demo.Service.render:14"].first == Approx(40));
    CHECK(shares["demo.Service.render:14"].second == Approx(90));
    std::string text = render_diff_collapsed(before, after);
    CHECK_THAT(text, Catch::Contains("main:3;demo.Service.render:14 40 90\n"));
}

TEST_CASE("without_lines merges a method's lines into one frame and the stacks that then read alike", "[table]") {
    ProfileBuilder builder("cpu", "ns");
    uint32_t main_frame = builder.intern("main", FrameKind::kInterpreted, 3);
    uint32_t at12 = builder.intern("render", FrameKind::kJitCompiled, 12);
    uint32_t at14 = builder.intern("render", FrameKind::kJitCompiled, 14);
    builder.set_file(at12, "demo/Service.java");
    builder.add_stack({main_frame, at12}, 2, 20);
    builder.add_stack({main_frame, at14}, 3, 30);
    Profile merged = without_lines(builder.finish());
    REQUIRE(merged.stacks.size() == 1);
    CHECK(merged.stacks[0].samples == 5);
    CHECK(merged.stacks[0].weight == 50);
    CHECK(merged.frames.size() == 2);
    for (const ProfileFrame& frame : merged.frames) CHECK(frame.line == 0);
    CHECK(merged.frames[merged.stacks[0].frames[1]].file == "demo/Service.java");
}

TEST_CASE("ids a file chose cannot all fall into one bucket of the reader's tables", "[pprof]") {
    // libstdc++ hashes an integer to itself and picks a prime number of buckets: ids that are multiples of that
    // prime, as a crafted pprof file can choose them, all share bucket 0 under std::hash (each lookup then walks
    // every one of them), and spread out under the seeded hash the readers use (native/seeded_hash.h).
    std::unordered_map<uint64_t, int> plain;
    std::unordered_map<uint64_t, int, SeededHash> seeded;
    constexpr uint64_t kIds = 10000;  // std::hash then costs 50 million steps (0.1 s); more takes seconds
    plain.reserve(kIds);
    seeded.reserve(kIds);
    REQUIRE(plain.bucket_count() == seeded.bucket_count());
    uint64_t prime = plain.bucket_count();
    for (uint64_t i = 1; i <= kIds; i++) {
        plain.emplace(i * prime, 0);
        seeded.emplace(i * prime, 0);
    }
    REQUIRE(plain.bucket_count() == prime);
    REQUIRE(seeded.bucket_count() == prime);
    CHECK(plain.bucket_size(0) == kIds);  // what the readers would face without the seed
    size_t largest = 0;
    for (size_t bucket = 0; bucket < seeded.bucket_count(); bucket++)
        largest = std::max(largest, seeded.bucket_size(bucket));
    // A uniform spread of 10,000 keys over as many buckets puts at most about eight in one.
    CHECK(largest < 20);
}
