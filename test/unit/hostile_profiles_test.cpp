// Saved profiles made to hurt the reader (issue 14): each is refused with one line that names the limit or
// the overflow it breaks, before the memory is spent, or, for control characters, reported harmlessly.
#include <unistd.h>
#include <zlib.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "native/analysis/flat_report.h"
#include "native/analysis/gzip.h"
#include "native/analysis/input_limits.h"
#include "native/analysis/pprof.h"
#include "native/analysis/profile_diff.h"
#include "native/analysis/profile_file.h"
#include "native/analysis/protobuf_wire.h"
#include "native/output/json_text.h"

using namespace hotframe;

namespace {

// A gzip stream of `mib` MiB of zeros, made in milliseconds: after a full flush deflate starts afresh, so every
// MiB after the first compresses to the same bytes, which are repeated instead of compressing again.
std::string gzip_of_zeros(size_t mib) {
    z_stream stream{};
    REQUIRE(deflateInit2(&stream, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::vector<char> zeros(1 << 20, 0);
    std::vector<char> buffer(64 * 1024);
    auto deflate_step = [&](bool data, int flush) {
        std::string out;
        stream.next_in = reinterpret_cast<Bytef*>(zeros.data());
        stream.avail_in = data ? static_cast<uInt>(zeros.size()) : 0;
        do {
            stream.next_out = reinterpret_cast<Bytef*>(buffer.data());
            stream.avail_out = static_cast<uInt>(buffer.size());
            deflate(&stream, flush);
            out.append(buffer.data(), buffer.size() - stream.avail_out);
        } while (stream.avail_out == 0);
        return out;
    };
    std::string out = deflate_step(true, Z_FULL_FLUSH);
    std::string repeated = deflate_step(true, Z_FULL_FLUSH);
    std::string last = deflate_step(false, Z_FINISH);
    deflateEnd(&stream);
    for (size_t i = 1; i < mib; i++) out += repeated;
    // The trailer of the whole stream, not of the two MiB deflate saw: CRC-32 and length mod 2^32.
    uLong crc = crc32(0, nullptr, 0);
    for (size_t i = 0; i < mib; i++) crc = crc32(crc, reinterpret_cast<const Bytef*>(zeros.data()), 1 << 20);
    last.resize(last.size() - 8);
    auto length = static_cast<uint32_t>(mib << 20);
    for (uint32_t word : {static_cast<uint32_t>(crc), length}) {
        for (int byte = 0; byte < 4; byte++) last.push_back(static_cast<char>((word >> (8 * byte)) & 0xff));
    }
    return out + last;
}

// A pprof profile with one sample type (cpu nanoseconds): strings[3] is the name of function 1, and location
// 1 holds `functions` lines of it. Each of the samples references location 1 `refs` times.
struct PprofSpec {
    std::string name = "f";
    size_t functions = 1;
    size_t refs = 1;
    size_t samples = 1;
    int64_t value = 1;
};

std::string pprof_bytes(const PprofSpec& spec) {
    ProtoWriter out;
    ProtoWriter type;
    type.varint_field(1, 1);
    type.varint_field(2, 2);
    out.message_field(1, type);
    ProtoWriter sample;
    sample.packed_field(1, std::vector<uint64_t>(spec.refs, 1));
    sample.packed_field(2, std::vector<int64_t>{spec.value});
    for (size_t i = 0; i < spec.samples; i++) out.message_field(2, sample);
    ProtoWriter location;
    location.varint_field(1, 1);
    ProtoWriter line;
    line.varint_field(1, 1);
    for (size_t i = 0; i < spec.functions; i++) location.message_field(4, line);
    out.message_field(4, location);
    ProtoWriter function;
    function.varint_field(1, 1);
    function.varint_field(2, 3);
    out.message_field(5, function);
    for (const std::string& text : {std::string(), std::string("cpu"), std::string("nanoseconds"), spec.name}) {
        out.bytes_field(6, text);
    }
    return out.bytes();
}

Status read_pprof_error(const PprofSpec& spec, bool gzipped) {
    std::string bytes = pprof_bytes(spec);
    Profile profile;
    return read_pprof(gzipped ? gzip_compress(bytes) : bytes, &profile);
}

bool one_line(const Status& status) {
    return !status.is_ok() && !status.message().empty() && status.message().find('\n') == std::string::npos;
}

std::string temporary_file(const std::string& content) {
    char path[] = "/tmp/hotframe-hostile-XXXXXX";
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    REQUIRE(write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()));
    close(fd);
    return path;
}

}  // namespace

TEST_CASE("a gzip bomb stops at the limit on a decompressed profile", "[hostile]") {
    std::string bomb = gzip_of_zeros((kMaxProfileBytes >> 20) + 4);
    CHECK(bomb.size() < 1024 * 1024);  // it is a bomb: well under a MiB on disk
    std::string inflated;
    Status unzipped = gzip_decompress(bomb, &inflated);
    REQUIRE(one_line(unzipped));
    CHECK_THAT(unzipped.message(), Catch::Contains("the limit on a decompressed profile"));
    CHECK(inflated.empty());
    Profile profile;
    Status read = read_pprof(bomb, &profile);
    REQUIRE(one_line(read));
    CHECK_THAT(read.message(), Catch::Contains("256 MiB"));
}

TEST_CASE("gzip data just within a limit inflates, one byte over does not", "[hostile]") {
    std::string zeros;
    REQUIRE(gzip_decompress(gzip_of_zeros(3), &zeros).is_ok());  // the bomb maker makes valid gzip
    CHECK(zeros == std::string(3 << 20, '\0'));

    std::string packed = gzip_compress(std::string(1000, 'x'));
    std::string inflated;
    REQUIRE(gzip_decompress(packed, &inflated, 1000).is_ok());
    CHECK(inflated == std::string(1000, 'x'));
    CHECK_THAT(gzip_decompress(packed, &inflated, 999).message(), Catch::Contains("more than 999 bytes"));
}

TEST_CASE("one location of 20,000 functions referenced 20,000 times is refused, not built", "[hostile]") {
    PprofSpec quadratic;
    quadratic.functions = 20000;
    quadratic.refs = 20000;
    std::string gzipped = gzip_compress(pprof_bytes(quadratic));
    CHECK(gzipped.size() < 400);  // a few hundred bytes asking for 4x10^8 frames
    Profile profile;
    Status read = read_pprof(gzipped, &profile);
    REQUIRE(one_line(read));
    CHECK_THAT(read.message(), Catch::Contains("the limit on frames per stack"));
}

TEST_CASE("stacks within the per-stack limit still stop at the limit on frames per profile", "[hostile]") {
    PprofSpec wide;
    wide.functions = 20000;
    wide.refs = 3;  // 60,000 frames a stack, under kMaxFramesPerStack
    wide.samples = 1000;
    Status read = read_pprof_error(wide, true);
    REQUIRE(one_line(read));
    CHECK_THAT(read.message(), Catch::Contains("the limit on frames per profile"));
}

TEST_CASE("a sample with more location references than a stack may hold is refused before decoding", "[hostile]") {
    PprofSpec deep;
    deep.refs = kMaxFramesPerStack + 1;
    CHECK_THAT(read_pprof_error(deep, false).message(), Catch::Contains("the limit on frames per stack"));
    deep.refs = kMaxFramesPerStack;
    Profile profile;
    REQUIRE(read_pprof(pprof_bytes(deep), &profile).is_ok());
    REQUIRE(profile.stacks.size() == 1);
    CHECK(profile.stacks[0].frames.size() == kMaxFramesPerStack);
}

TEST_CASE("a 1 MB function name referenced 5,000 times is refused at the limit on name length", "[hostile]") {
    PprofSpec long_name;
    long_name.name = std::string(1 << 20, 'n');
    long_name.refs = 5000;
    std::string gzipped = gzip_compress(pprof_bytes(long_name));
    CHECK(gzipped.size() < 4096);
    Profile profile;
    Status read = read_pprof(gzipped, &profile);
    REQUIRE(one_line(read));
    CHECK_THAT(read.message(), Catch::Contains("the limit on name length"));

    LoadedProfile collapsed;
    Status parsed = parse_collapsed(std::string(kMaxFrameNameBytes + 1, 'n') + ";main 1\n", &collapsed);
    REQUIRE(one_line(parsed));
    CHECK_THAT(parsed.message(), Catch::Contains("line 1: a frame name is longer than 64 KiB"));
    REQUIRE(parse_collapsed(std::string(kMaxFrameNameBytes, 'n') + ";main 1\n", &collapsed).is_ok());
}

TEST_CASE("names within the limit repeated into gigabytes stop at the limit on stack text", "[hostile]") {
    PprofSpec repeated;
    repeated.name = std::string(60000, 'n');
    repeated.refs = 5000;  // 300 MB of joined stack text
    Status read = read_pprof_error(repeated, true);
    REQUIRE(one_line(read));
    CHECK_THAT(read.message(), Catch::Contains("the limit on stack text per profile"));
}

TEST_CASE("a collapsed stack deeper than the limit is refused with its line", "[hostile]") {
    std::string deep;
    for (size_t i = 0; i <= kMaxFramesPerStack; i++) deep += i == 0 ? "f" : ";f";
    LoadedProfile loaded;
    Status parsed = parse_collapsed("main 1\n" + deep + " 1\n", &loaded);
    REQUIRE(one_line(parsed));
    CHECK_THAT(parsed.message(), Catch::Contains("line 2: a stack has more than 65536 frames"));
}

TEST_CASE("too many stacks and too many pprof table entries are refused", "[hostile]") {
    std::string lines;
    lines.reserve((kMaxStacks + 1) * 4);
    for (size_t i = 0; i <= kMaxStacks; i++) lines += "a 1\n";
    LoadedProfile loaded;
    Status parsed = parse_collapsed(lines, &loaded);
    REQUIRE(one_line(parsed));
    CHECK_THAT(parsed.message(), Catch::Contains("the limit on stacks per profile"));

    ProtoWriter strings;
    for (size_t i = 0; i <= kMaxPprofEntries; i++) strings.bytes_field(6, "");
    Profile profile;
    Status read = read_pprof(strings.bytes(), &profile);
    REQUIRE(one_line(read));
    CHECK_THAT(read.message(), Catch::Contains("the limit on pprof tables"));
}

TEST_CASE("a file larger than the limit is refused before it is read", "[hostile]") {
    std::string path = temporary_file("a;b 1\n");
    REQUIRE(truncate(path.c_str(), static_cast<off_t>(kMaxProfileBytes + 1)) == 0);  // sparse: costs no disk
    LoadedProfile loaded;
    Status read = load_profile_file(path, &loaded);
    std::remove(path.c_str());
    REQUIRE(one_line(read));
    CHECK_THAT(read.message(), Catch::Contains("the limit on a profile file"));
}

TEST_CASE("collapsed counts that overflow are refused, and a wrap to zero is not an empty profile", "[hostile]") {
    LoadedProfile loaded;
    Status sum = parse_collapsed("a;b 9999999999999999999\na;c 9999999999999999999\n", &loaded);
    REQUIRE(one_line(sum));
    CHECK_THAT(sum.message(), Catch::Contains("line 2: the counts add up to more than 18446744073709551615"));

    // 2^63 twice is 2^64: a total that wraps to exactly 0.
    std::string path = temporary_file("a;b 9223372036854775808\na;c 9223372036854775808\n");
    Status wrapped = load_profile_file(path, &loaded);
    std::remove(path.c_str());
    REQUIRE(one_line(wrapped));
    CHECK_THAT(wrapped.message(), Catch::Contains("would overflow"));
    CHECK_THAT(wrapped.message(), !Catch::Contains("empty"));

    Status count = parse_collapsed("a;b 18446744073709551616\n", &loaded);
    REQUIRE(one_line(count));
    CHECK_THAT(count.message(), Catch::Contains("line 1: the count is more than 18446744073709551615"));

    // The largest count alone is a correct answer, with leading zeros too.
    REQUIRE(parse_collapsed("a;b 0018446744073709551615\n", &loaded).is_ok());
    CHECK(loaded.total() == UINT64_MAX);
}

TEST_CASE("pprof values that overflow are refused, and so are varints wider than 64 bits", "[hostile]") {
    PprofSpec big;
    big.value = INT64_MAX;
    big.samples = 2;  // 2 * (2^63 - 1) still fits
    Profile profile;
    REQUIRE(read_pprof(pprof_bytes(big), &profile).is_ok());
    big.samples = 3;
    Status read = read_pprof_error(big, false);
    REQUIRE(one_line(read));
    CHECK_THAT(read.message(), Catch::Contains("would overflow"));

    std::string ten_bytes = "\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01";  // field 1 = 2^64 - 1
    std::string eleven_bits = "\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x03";
    ProtoReader fits(ten_bytes);
    REQUIRE(fits.next());
    CHECK(fits.varint() == UINT64_MAX);
    ProtoReader too_wide(eleven_bits);
    CHECK_FALSE(too_wide.next());
    CHECK(too_wide.failed());
}

TEST_CASE("diff refuses totals that overflow and computes shares of huge totals exactly", "[hostile]") {
    Profile huge;
    huge.event = "cpu";
    huge.frames = {{"a", FrameKind::kJitCompiled}, {"b", FrameKind::kJitCompiled}};
    huge.stacks = {{{0}, UINT64_MAX - 1, UINT64_MAX - 1}, {{1}, 1, 1}};
    LoadedProfile fits;
    fits.profile = huge;
    Profile merged;
    REQUIRE(diff_profiles(fits, fits, &merged).is_ok());
    uint64_t total_share = 0;
    for (const ProfileStack& stack : merged.stacks) {
        CHECK(stack.samples <= kDiffScale);
        total_share += stack.samples;
    }
    CHECK(total_share == kDiffScale);

    LoadedProfile overflowing = fits;
    overflowing.profile.stacks[1].samples = 2;
    Status compared = diff_profiles(fits, overflowing, &merged);
    REQUIRE(one_line(compared));
    CHECK_THAT(compared.message(), Catch::Contains("would overflow"));
}

TEST_CASE("control characters in names are escaped in text output and stay valid JSON", "[hostile]") {
    LoadedProfile loaded;
    REQUIRE(parse_collapsed("main;\x1b[2Jclear\x07;del\x7f 5\nmain;other 1\n", &loaded).is_ok());
    FlatReport report = make_flat_report(loaded, 20);
    std::string text = render_flat_text(report);
    CHECK_THAT(text, Catch::Contains("\\x1b[2Jclear\\x07"));
    CHECK_THAT(text, Catch::Contains("del\\x7f"));
    std::string json = render_flat_json(report);
    CHECK_THAT(json, Catch::Contains("\\u001b[2Jclear\\u0007"));
    CHECK_THAT(json, Catch::Contains("del\\u007f"));
    for (const std::string* out : {&text, &json}) {
        for (char c : *out) {
            auto byte = static_cast<unsigned char>(c);
            CHECK((c == '\n' || (byte >= 0x20 && byte != 0x7f)));
        }
    }
    CHECK(json_string("tab\there") == "\"tab\\u0009here\"");

    std::string diff = render_diff_collapsed(loaded, loaded);
    CHECK_THAT(diff, Catch::Contains("main;\\x1b[2Jclear\\x07;del\\x7f 5 5\n"));
    CHECK(diff.find('\x1b') == std::string::npos);
}
