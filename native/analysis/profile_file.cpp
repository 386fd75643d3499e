#include "native/analysis/profile_file.h"

#include <fstream>
#include <iterator>

#include "native/analysis/gzip.h"
#include "native/analysis/pprof.h"
#include "native/output/value_meaning.h"

namespace hotframe {

namespace {

bool all_digits(std::string_view text) {
    if (text.empty() || text.size() > 19) return false;
    for (char c : text) {
        if (c < '0' || c > '9') return false;
    }
    return true;
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

}  // namespace

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
        size_t space = line.rfind(' ');
        if (space == std::string_view::npos || space == 0 || !all_digits(line.substr(space + 1))) {
            return Status::error("line " + std::to_string(line_number) +
                                 " is not a collapsed stack ('frame;frame;... count')");
        }
        uint64_t value = std::stoull(std::string(line.substr(space + 1)));
        std::vector<uint32_t> frames;
        std::string_view stack = line.substr(0, space);
        size_t from = 0;
        while (from <= stack.size()) {
            size_t semicolon = stack.find(';', from);
            if (semicolon == std::string_view::npos) semicolon = stack.size();
            std::string name(stack.substr(from, semicolon - from));
            FrameKind kind = kind_from_suffix(name);
            frames.push_back(builder.intern(name, kind));
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

Status load_profile_file(const std::string& path, LoadedProfile* out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::error("cannot read " + path);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
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
    if (out->total() == 0) return Status::error(path + " is an empty profile (no samples)");
    return Status::ok();
}

}  // namespace hotframe
