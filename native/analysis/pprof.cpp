#include "native/analysis/pprof.h"

#include <cstdlib>
#include <unordered_map>
#include <vector>

#include "native/analysis/gzip.h"
#include "native/analysis/input_limits.h"
#include "native/analysis/protobuf_wire.h"
#include "native/seeded_hash.h"

namespace hotframe {

namespace {

// Field numbers of profile.proto (github.com/google/pprof/proto/profile.proto).
enum ProfileField : uint32_t {
    kSampleType = 1,
    kSample = 2,
    kMapping = 3,
    kLocation = 4,
    kFunction = 5,
    kStringTable = 6,
    kTimeNanos = 9,
    kDurationNanos = 10,
    kPeriodType = 11,
    kPeriod = 12,
    kComment = 13,
    kDefaultSampleType = 14,
};

constexpr uint64_t kJavaMapping = 1;

struct SampleTypes {
    const char* count_type;
    const char* count_unit;
    const char* weight_type;
    const char* weight_unit;
};

SampleTypes sample_types_of(const Profile& profile) {
    // Not "alloc_objects": in pprof that is an estimate of objects allocated, and ours is the number of samples.
    if (profile.event == "alloc") return {"alloc_samples", "count", "alloc_space", "bytes"};
    if (profile.event == "lock") return {"contentions", "count", "delay", "nanoseconds"};
    if (profile.event == "wall") return {"samples", "count", "wall", "nanoseconds"};
    return {"samples", "count", "cpu", "nanoseconds"};
}

// The event a pprof profile's weight type stands for.
std::string event_of_weight_type(const std::string& type) {
    if (type == "alloc_space") return "alloc";
    if (type == "delay") return "lock";
    if (type == "wall") return "wall";
    if (type == "cpu") return "cpu";
    return type;
}

std::string unit_of_pprof_unit(const std::string& unit) { return unit == "nanoseconds" ? "ns" : unit; }

class StringTable {
public:
    StringTable() { index(""); }
    int64_t index(const std::string& text) {
        auto found = ids_.find(text);
        if (found != ids_.end()) return found->second;
        auto id = static_cast<int64_t>(strings_.size());
        strings_.push_back(text);
        ids_.emplace(text, id);
        return id;
    }
    const std::vector<std::string>& strings() const { return strings_; }

private:
    std::vector<std::string> strings_;
    std::unordered_map<std::string, int64_t> ids_;
};

ProtoWriter value_type(StringTable& strings, const char* type, const char* unit) {
    ProtoWriter message;
    message.varint_field(1, static_cast<uint64_t>(strings.index(type)));
    message.varint_field(2, static_cast<uint64_t>(strings.index(unit)));
    return message;
}

// Locations and functions. A location is one frame, or a compiled frame with the frames inlined into it: several
// Lines of one Location, innermost first, the last being the caller the others were inlined into (pprof's way of
// showing inlining). A frame's line (from its bci) is its Line's line; frames of one method on different lines
// are different locations of one function. Functions are one per (name, source file).
class LocationTable {
public:
    explicit LocationTable(const Profile& profile) : profile_(profile) {}

    // The location ids of a stack (root first in `frames`), leaf first, leaving out the first `skip` frames.
    std::vector<uint64_t> leaf_first(const std::vector<uint32_t>& frames, size_t skip) {
        std::vector<uint64_t> ids;
        std::vector<uint32_t> chain;
        size_t i = frames.size();
        while (i > skip) {
            chain.assign(1, frames[--i]);
            // An inlined frame belongs to the location of its caller, the frame below it.
            while (i > skip && profile_.frames[chain.back()].kind == FrameKind::kInlined &&
                   is_java(profile_.frames[frames[i - 1]].kind)) {
                chain.push_back(frames[--i]);
            }
            ids.push_back(location_id(chain));
        }
        return ids;
    }

    void write(StringTable& strings, ProtoWriter& out) {
        std::unordered_map<std::string, uint64_t> function_ids;  // name '\0' file -> id
        for (size_t index = 0; index < chains_.size(); index++) {
            ProtoWriter location;
            location.varint_field(1, index + 1);
            location.varint_field(2, kJavaMapping);
            for (uint32_t frame_id : chains_[index]) {
                const ProfileFrame& frame = profile_.frames[frame_id];
                std::string key = frame.name + '\0' + frame.file;
                auto [found, added] = function_ids.emplace(key, function_ids.size() + 1);
                if (added) {
                    auto name = static_cast<uint64_t>(strings.index(frame.name));
                    ProtoWriter function;
                    function.varint_field(1, found->second);
                    function.varint_field(2, name);
                    function.varint_field(3, name);
                    if (!frame.file.empty()) function.varint_field(4, static_cast<uint64_t>(strings.index(frame.file)));
                    out.message_field(kFunction, function);
                }
                ProtoWriter line;
                line.varint_field(1, found->second);
                if (frame.line > 0) line.varint_field(2, static_cast<uint64_t>(frame.line));
                location.message_field(4, line);
            }
            out.message_field(kLocation, location);
        }
    }

private:
    static bool is_java(FrameKind kind) {
        return kind == FrameKind::kInterpreted || kind == FrameKind::kJitCompiled || kind == FrameKind::kInlined;
    }

    uint64_t location_id(const std::vector<uint32_t>& chain) {
        std::string key(reinterpret_cast<const char*>(chain.data()), chain.size() * sizeof(uint32_t));
        auto [found, added] = ids_.emplace(std::move(key), chains_.size() + 1);
        if (added) chains_.push_back(chain);
        return found->second;
    }

    const Profile& profile_;
    std::unordered_map<std::string, uint64_t> ids_;  // chain of frame ids -> location id, from 1
    std::vector<std::vector<uint32_t>> chains_;      // by location id - 1
};

}  // namespace

bool parse_thread_root(std::string_view frame, std::string* name, int64_t* tid) {
    constexpr std::string_view kMarker = " tid=";
    if (frame.size() < 2 || frame.front() != '[' || frame.back() != ']') return false;
    size_t marker = frame.rfind(kMarker);
    if (marker == std::string_view::npos) return false;
    std::string digits(frame.substr(marker + kMarker.size(), frame.size() - 1 - marker - kMarker.size()));
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return false;
    *name = std::string(frame.substr(1, marker - 1));
    *tid = std::strtoll(digits.c_str(), nullptr, 10);
    return true;
}

std::string encode_pprof_message(const Profile& profile, const PprofMetadata& metadata) {
    StringTable strings;
    ProtoWriter out;
    SampleTypes types = sample_types_of(profile);
    out.message_field(kSampleType, value_type(strings, types.count_type, types.count_unit));
    out.message_field(kSampleType, value_type(strings, types.weight_type, types.weight_unit));

    LocationTable locations_of(profile);
    int64_t thread_key = strings.index("thread");
    int64_t tid_key = strings.index("tid");
    for (const ProfileStack& stack : profile.stacks) {
        if (stack.frames.empty() || (stack.samples == 0 && stack.weight == 0)) continue;
        size_t first = 0;
        std::string thread;
        int64_t tid = 0;
        bool has_thread = parse_thread_root(profile.frames[stack.frames[0]].name, &thread, &tid);
        if (has_thread) first = 1;
        std::vector<uint64_t> locations = locations_of.leaf_first(stack.frames, first);
        if (locations.empty()) continue;
        ProtoWriter sample;
        sample.packed_field(1, locations);
        sample.packed_field(2, std::vector<uint64_t>{stack.samples, stack.weight});
        if (has_thread) {
            ProtoWriter name_label;
            name_label.varint_field(1, static_cast<uint64_t>(thread_key));
            name_label.varint_field(2, static_cast<uint64_t>(strings.index(thread)));
            sample.message_field(3, name_label);
            ProtoWriter tid_label;
            tid_label.varint_field(1, static_cast<uint64_t>(tid_key));
            tid_label.varint_field(3, static_cast<uint64_t>(tid));
            sample.message_field(3, tid_label);
        }
        out.message_field(kSample, sample);
    }
    locations_of.write(strings, out);
    // One mapping for all frames, marked as already symbolized, so that pprof neither looks for a binary to
    // symbolize from nor warns that it has none.
    ProtoWriter mapping;
    mapping.varint_field(1, kJavaMapping);
    mapping.varint_field(5, static_cast<uint64_t>(strings.index("[java]")));
    mapping.varint_field(7, 1);   // has_functions
    mapping.varint_field(8, 1);   // has_filenames
    mapping.varint_field(9, 1);   // has_line_numbers
    mapping.varint_field(10, 1);  // has_inline_frames
    out.message_field(kMapping, mapping);
    if (metadata.time_ns != 0) out.varint_field(kTimeNanos, static_cast<uint64_t>(metadata.time_ns));
    if (metadata.duration_ns != 0) out.varint_field(kDurationNanos, static_cast<uint64_t>(metadata.duration_ns));
    out.message_field(kPeriodType, value_type(strings, types.weight_type, types.weight_unit));
    if (metadata.period != 0) out.varint_field(kPeriod, static_cast<uint64_t>(metadata.period));
    out.varint_field(kComment, static_cast<uint64_t>(strings.index("hotframe " + profile.event + " profile")));
    out.varint_field(kDefaultSampleType, static_cast<uint64_t>(strings.index(types.weight_type)));
    for (const std::string& text : strings.strings()) out.bytes_field(kStringTable, text);
    return out.bytes();
}

std::string encode_pprof_gzipped(const Profile& profile, const PprofMetadata& metadata) {
    return gzip_compress(encode_pprof_message(profile, metadata));
}

namespace {

// What a pprof profile's samples refer to, read in a first pass: the tables may come before or after the
// samples, and a second pass over the samples then builds each stack without storing raw samples first.
struct PprofTables {
    std::vector<std::string_view> strings;  // views into the (inflated) protobuf, which outlives the reading
    std::vector<std::pair<int64_t, int64_t>> sample_types;
    // Keyed by ids the file chose, hence the seeded hash (seeded_hash.h).
    std::unordered_map<uint64_t, uint64_t, SeededHash> function_name;  // function id -> string index
    // location id -> its Lines, innermost first: (function id, line; 0 where the file has none)
    std::unordered_map<uint64_t, std::vector<std::pair<uint64_t, int64_t>>, SeededHash> location_lines;

    std::string_view text(uint64_t index) const { return index < strings.size() ? strings[index] : ""; }
};

Status malformed() { return Status::error("not a pprof profile (malformed protobuf)"); }

Status values_mismatch() { return Status::error("not a pprof profile (sample values do not match its sample types)"); }

// Counts table entries; every one costs memory out of proportion to its few bytes in the file.
class EntryCounter {
public:
    bool add() { return ++entries_ <= kMaxPprofEntries; }
    static Status too_many() {
        return Status::error("more than " + std::to_string(kMaxPprofEntries) +
                             " strings, functions, locations and lines (the limit on pprof tables)");
    }

private:
    size_t entries_ = 0;
};

Status read_location(std::string_view bytes, EntryCounter& entries, PprofTables* tables) {
    ProtoReader location(bytes);
    uint64_t id = 0;
    std::vector<std::pair<uint64_t, int64_t>> lines;
    while (location.next()) {
        if (location.field() == 1 && location.is_varint()) id = location.varint();
        if (location.field() == 4 && location.is_bytes()) {
            if (!entries.add()) return EntryCounter::too_many();
            ProtoReader line(location.bytes());
            uint64_t function = 0;
            int64_t number = 0;
            while (line.next()) {
                // Only varints: another wire type would leave varint() holding the previous field's value.
                if (line.field() == 1 && line.is_varint()) function = line.varint();
                if (line.field() == 2 && line.is_varint()) number = static_cast<int64_t>(line.varint());
            }
            if (line.failed()) return malformed();
            lines.emplace_back(function, number);
        }
    }
    if (location.failed()) return malformed();
    tables->location_lines[id] = std::move(lines);
    return Status::ok();
}

Status read_tables(std::string_view data, PprofTables* tables) {
    EntryCounter entries;
    ProtoReader reader(data);
    while (reader.next()) {
        uint32_t field = reader.field();
        bool table = field == kStringTable || field == kSampleType || field == kLocation || field == kFunction;
        if (!table && field != kSample) continue;
        if (!reader.is_bytes()) return malformed();
        if (table && !entries.add()) return EntryCounter::too_many();
        if (field == kStringTable) {
            tables->strings.push_back(reader.bytes());
        } else if (field == kSampleType) {
            ProtoReader type(reader.bytes());
            int64_t type_index = 0, unit_index = 0;
            while (type.next()) {
                if (type.field() == 1) type_index = static_cast<int64_t>(type.varint());
                if (type.field() == 2) unit_index = static_cast<int64_t>(type.varint());
            }
            if (type.failed()) return malformed();
            tables->sample_types.emplace_back(type_index, unit_index);
        } else if (field == kLocation) {
            if (Status read = read_location(reader.bytes(), entries, tables); !read.is_ok()) return read;
        } else if (field == kFunction) {
            ProtoReader function(reader.bytes());
            uint64_t id = 0, name = 0;
            while (function.next()) {
                if (function.field() == 1) id = function.varint();
                if (function.field() == 2) name = function.varint();
            }
            if (function.failed()) return malformed();
            tables->function_name[id] = name;
        }
    }
    const auto& strings = tables->strings;
    if (reader.failed() || strings.empty() || !strings[0].empty() || tables->sample_types.empty()) return malformed();
    return Status::ok();
}

// Builds the stacks of the samples, each frame interned once per function and counted against the limits.
class SampleReader {
public:
    SampleReader(const PprofTables& tables, ProfileBuilder& builder) : tables_(tables), builder_(builder) {}

    Status add_sample(std::string_view bytes) {
        if (Status started = budget_.start_stack(); !started.is_ok()) return started;
        locations_.clear();
        values_.clear();
        ProtoReader sample(bytes);
        while (sample.next()) {
            // Counted before decoding: a packed field of n bytes becomes up to 8n bytes of numbers.
            if (sample.field() == 1) {
                if (sample.repeated_count() > kMaxFramesPerStack - locations_.size()) {
                    return StackBudget::too_many_frames();
                }
                if (!sample.read_repeated(locations_)) return malformed();
            }
            if (sample.field() == 2) {
                if (sample.repeated_count() > tables_.sample_types.size() - values_.size()) return values_mismatch();
                if (!sample.read_repeated(values_)) return malformed();
            }
        }
        if (sample.failed()) return malformed();
        if (values_.size() != tables_.sample_types.size()) return values_mismatch();
        std::vector<uint32_t> frames;  // root first
        for (size_t i = locations_.size(); i > 0; i--) {
            auto lines = tables_.location_lines.find(locations_[i - 1]);
            if (lines == tables_.location_lines.end()) return malformed();
            // A location lists its inlined functions innermost first; root first means the last one first.
            for (size_t f = lines->second.size(); f > 0; f--) {
                bool inlined = f < lines->second.size();
                const Frame& frame = frame_of(lines->second[f - 1].first, lines->second[f - 1].second, inlined);
                if (Status added = budget_.add_frame(frame.name_bytes); !added.is_ok()) return added;
                frames.push_back(frame.index);
            }
        }
        // The weight is the last sample type (pprof's default), the count the first one when there are two.
        int64_t last = values_.back();
        auto weight = static_cast<uint64_t>(last < 0 ? 0 : last);
        auto count = values_.size() > 1 ? static_cast<uint64_t>(values_[0] < 0 ? 0 : values_[0]) : weight;
        // Totals that wrap would make shares above 100%, or a full profile look empty.
        if (!add_without_overflow(total_count_, count, &total_count_) ||
            !add_without_overflow(total_weight_, weight, &total_weight_)) {
            return Status::error("the samples' values add up to more than " + std::to_string(UINT64_MAX) +
                                 " (they would overflow)");
        }
        builder_.add_stack(std::move(frames), count, weight);
        return Status::ok();
    }

private:
    struct Frame {
        uint32_t index;
        size_t name_bytes;
    };

    // The frame of a function at a line, interned on first use only: a function no sample reaches costs nothing.
    // Lines that are not the last of their location were inlined into the next.
    const Frame& frame_of(uint64_t function, int64_t line, bool inlined) {
        FrameKey key{function, line, inlined};
        auto known = frames_.find(key);
        if (known != frames_.end()) return known->second;
        auto name = tables_.function_name.find(function);
        std::string_view text = name == tables_.function_name.end() ? "[unknown]" : tables_.text(name->second);
        bool pseudo = text.empty() || text[0] == '[';
        FrameKind kind = pseudo ? FrameKind::kPseudo : inlined ? FrameKind::kInlined : FrameKind::kJitCompiled;
        // Lines outside int32 (or negative) are no line a source file has.
        auto number = static_cast<int32_t>(line > 0 && line <= INT32_MAX ? line : 0);
        // An over-long name is refused by add_frame; interning it first would copy it for nothing.
        uint32_t index = text.size() > kMaxFrameNameBytes ? 0 : builder_.intern(text, kind, number);
        // Counted as the report writes it, "name:line": the budget bounds the text the report builds.
        size_t label_bytes = text.size() + (number > 0 ? 1 + std::to_string(number).size() : 0);
        return frames_.emplace(key, Frame{index, label_bytes}).first->second;
    }

    struct FrameKey {
        uint64_t function;
        int64_t line;
        bool inlined;
        bool operator==(const FrameKey& other) const {
            return function == other.function && line == other.line && inlined == other.inlined;
        }
    };
    struct FrameKeyHash {
        size_t operator()(const FrameKey& key) const {
            uint64_t line_and_kind = (static_cast<uint64_t>(key.line) << 1) | (key.inlined ? 1u : 0u);
            return static_cast<size_t>(seeded_mix(key.function ^ seeded_mix(line_and_kind)));
        }
    };

    const PprofTables& tables_;
    ProfileBuilder& builder_;
    StackBudget budget_;
    std::unordered_map<FrameKey, Frame, FrameKeyHash> frames_;
    std::vector<uint64_t> locations_;  // of the current sample, reused
    std::vector<int64_t> values_;
    uint64_t total_count_ = 0;
    uint64_t total_weight_ = 0;
};

}  // namespace

Status read_pprof(std::string_view data, Profile* profile) {
    std::string inflated;
    if (looks_gzipped(data)) {
        if (Status unzipped = gzip_decompress(data, &inflated); !unzipped.is_ok()) return unzipped;
        data = inflated;
    }
    PprofTables tables;
    if (Status read = read_tables(data, &tables); !read.is_ok()) return read;
    const auto& weight_type = tables.sample_types.back();
    ProfileBuilder builder(event_of_weight_type(std::string(tables.text(static_cast<uint64_t>(weight_type.first)))),
                           unit_of_pprof_unit(std::string(tables.text(static_cast<uint64_t>(weight_type.second)))));
    SampleReader samples(tables, builder);
    ProtoReader reader(data);
    while (reader.next()) {
        if (reader.field() != kSample) continue;
        if (Status added = samples.add_sample(reader.bytes()); !added.is_ok()) return added;
    }
    *profile = builder.finish();
    return Status::ok();
}

}  // namespace hotframe
