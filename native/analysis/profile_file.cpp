#include "native/analysis/profile_file.h"

#include <algorithm>
#include <fstream>
#include <vector>

#include "native/analysis/gzip.h"
#include "native/analysis/input_limits.h"
#include "native/analysis/pprof.h"
#include "native/output/value_meaning.h"

namespace hotframe {

namespace {

// A stack's count: any number of digits, refused (false) when it does not fit in 64 bits.
bool parse_count(std::string_view text, uint64_t* value, bool* overflow) {
    *overflow = false;
    if (text.empty()) return false;
    uint64_t number = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return false;
        if (__builtin_mul_overflow(number, uint64_t{10}, &number) ||
            !add_without_overflow(number, static_cast<uint64_t>(c - '0'), &number)) {
            *overflow = true;
        }
    }
    *value = number;
    return !*overflow;
}

// hotframe's header: "# hotframe EVENT profile, one stack per line: the values are MEANING".
void read_header(std::string_view line, LoadedProfile* out) {
    constexpr std::string_view kPrefix = "# hotframe ";
    if (line.substr(0, kPrefix.size()) != kPrefix) return;
    std::string_view rest = line.substr(kPrefix.size());
    size_t space = rest.find(' ');
    if (space == std::string_view::npos) return;
    out->profile.event = std::string(rest.substr(0, space));
    size_t values = rest.find("the values are ");
    std::string_view meaning = values == std::string_view::npos ? "" : rest.substr(values + 15);
    out->weighted = !meaning.empty() && meaning.substr(0, 7) != "samples";
    if (out->weighted) out->profile.weight_unit = meaning.find("bytes") != std::string_view::npos ? "bytes" : "ns";
}

FrameKind kind_from_suffix(std::string& name) {
    struct Suffix {
        std::string_view text;
        FrameKind kind;
    };
    static constexpr Suffix kSuffixes[] = {
        {"_[j]", FrameKind::kJitCompiled}, {"_[i]", FrameKind::kInlined}, {"_[k]", FrameKind::kKernel}};
    for (const Suffix& suffix : kSuffixes) {
        if (name.size() > suffix.text.size() &&
            name.compare(name.size() - suffix.text.size(), suffix.text.size(), suffix.text) == 0) {
            name.resize(name.size() - suffix.text.size());
            return suffix.kind;
        }
    }
    return !name.empty() && name[0] == '[' ? FrameKind::kPseudo : FrameKind::kInterpreted;
}

// "demo.Service.render:42" -> "demo.Service.render", 42 (hotframe's and async-profiler's lines); 0, the name as
// it is, for anything else. Pseudo-frames keep theirs: "[worker:1 tid=7]" is a thread's name.
int32_t line_from_suffix(std::string& name, FrameKind kind) {
    if (kind == FrameKind::kPseudo || kind == FrameKind::kKernel) return 0;
    size_t colon = name.rfind(':');
    size_t digits = name.size() - (colon == std::string::npos ? 0 : colon + 1);
    // Up to 9 digits: fits in int32, and no source file has more lines.
    if (colon == std::string::npos || colon == 0 || digits == 0 || digits > 9 ||
        name.find_first_not_of("0123456789", colon + 1) != std::string::npos || name[colon + 1] == '0') {
        return 0;
    }
    auto line = static_cast<int32_t>(std::stol(name.substr(colon + 1)));
    name.resize(colon);
    return line;
}

}  // namespace

Status LoadedProfile::checked_total(uint64_t* total) const {
    uint64_t sum = 0;
    for (const ProfileStack& stack : profile.stacks) {
        if (!add_without_overflow(sum, value_of(stack), &sum)) {
            return Status::error("the stacks' values add up to more than " + std::to_string(UINT64_MAX) +
                                 " (they would overflow)");
        }
    }
    *total = sum;
    return Status::ok();
}

uint64_t LoadedProfile::total() const {
    uint64_t sum = 0;
    for (const ProfileStack& stack : profile.stacks) sum += value_of(stack);
    return sum;
}

std::string LoadedProfile::meaning() const { return value_meaning(profile, weighted); }

Status parse_collapsed(std::string_view text, LoadedProfile* out) {
    *out = LoadedProfile{};
    out->source = "collapsed";
    ProfileBuilder builder("", "");
    StackBudget budget;
    uint64_t total = 0;
    size_t line_number = 0;
    size_t start = 0;
    bool any = false;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        start = end + 1;
        line_number++;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) continue;
        if (line[0] == '#') {
            if (line_number == 1) read_header(line, out);
            continue;
        }
        auto at_line = [line_number](const std::string& what) {
            return Status::error("line " + std::to_string(line_number) + ": " + what);
        };
        size_t space = line.rfind(' ');
        uint64_t value = 0;
        bool overflow = false;
        if (space == std::string_view::npos || space == 0 || !parse_count(line.substr(space + 1), &value, &overflow)) {
            if (overflow) return at_line("the count is more than " + std::to_string(UINT64_MAX));
            return Status::error("line " + std::to_string(line_number) +
                                 " is not a collapsed stack ('frame;frame;... count')");
        }
        // A total that wraps would make shares above 100%, or a full profile look empty.
        if (!add_without_overflow(total, value, &total)) {
            return at_line("the counts add up to more than " + std::to_string(UINT64_MAX) + " (they would overflow)");
        }
        if (Status started = budget.start_stack(); !started.is_ok()) return at_line(started.message());
        std::vector<uint32_t> frames;
        std::string_view stack = line.substr(0, space);
        size_t from = 0;
        while (from <= stack.size()) {
            size_t semicolon = stack.find(';', from);
            if (semicolon == std::string_view::npos) semicolon = stack.size();
            std::string_view frame = stack.substr(from, semicolon - from);
            if (Status added = budget.add_frame(frame.size()); !added.is_ok()) return at_line(added.message());
            std::string name(frame);
            FrameKind kind = kind_from_suffix(name);
            int32_t source_line = line_from_suffix(name, kind);
            frames.push_back(builder.intern(name, kind, source_line));
            from = semicolon + 1;
        }
        builder.add_stack(std::move(frames), value, value);
        any = true;
    }
    if (!any) return Status::error("holds no stacks");
    Profile profile = builder.finish();
    profile.event = out->profile.event;
    profile.weight_unit = out->profile.weight_unit;
    out->profile = std::move(profile);
    return Status::ok();
}

namespace {

// The whole file, refused once it is larger than any profile we accept. Read in chunks rather than sized
// first, so that pipes (`report <(zcat cpu.collapsed.gz)`) work and a growing file cannot outrun the check.
Status read_whole_file(const std::string& path, std::string* data) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::error("cannot read " + path);
    // The size, where there is one (-1 for a pipe), only to allocate once.
    std::streamoff size = in.rdbuf()->pubseekoff(0, std::ios::end, std::ios::in);
    if (size > 0 && in.rdbuf()->pubseekoff(0, std::ios::beg, std::ios::in) == 0) {
        data->reserve(static_cast<size_t>(std::min<std::streamoff>(size, kMaxProfileBytes)));
    }
    std::vector<char> chunk(1 << 20);
    while (in) {
        in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        auto got = static_cast<size_t>(in.gcount());
        if (got > kMaxProfileBytes - data->size()) {
            return Status::error(path + " is larger than " + bytes_text(kMaxProfileBytes) +
                                 " (the limit on a profile file)");
        }
        data->append(chunk.data(), got);
    }
    if (in.bad()) return Status::error("cannot read " + path);
    return Status::ok();
}

}  // namespace

Status load_profile_file(const std::string& path, LoadedProfile* out) {
    std::string data;
    if (Status read = read_whole_file(path, &data); !read.is_ok()) return read;
    if (data.empty()) return Status::error(path + " is empty");
    Status loaded = Status::ok();
    bool binary = looks_gzipped(data) || data.find('\0') != std::string::npos;
    if (binary) {
        *out = LoadedProfile{};
        out->source = "pprof";
        out->weighted = true;  // as go tool pprof shows it: by the last sample type
        loaded = read_pprof(data, &out->profile);
    } else {
        loaded = parse_collapsed(data, out);
    }
    if (!loaded.is_ok()) return Status::error(path + ": " + loaded.message());
    uint64_t total = 0;
    if (Status summed = out->checked_total(&total); !summed.is_ok())
        return Status::error(path + ": " + summed.message());
    if (total == 0) return Status::error(path + " is an empty profile (no samples)");
    return Status::ok();
}

}  // namespace hotframe
