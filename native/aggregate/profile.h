// The aggregated profile handed to the writers: distinct frames with their kind, and stacks of frame indices
// (root first) with a sample count and a weight. Writers only read it; the aggregator builds it at dump time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "native/frame_kind.h"

namespace hotframe {

struct ProfileFrame {
    std::string name;
    FrameKind kind;
    std::string file = {};  // the source file, "java/util/regex/Pattern.java"; empty where unknown
    // Where the name is shortened (a C++ function without its parameter list): the full name, for the HTML
    // tooltip. Overloads that share the short name are listed one per line. Empty where it equals `name`.
    std::string full_name = {};
    // The source line of a Java frame (option lines, and pprof output), from the frame's bci; 0 where unknown:
    // a native method, a frame without bci, a class compiled without line numbers, or lines not asked for.
    int32_t line = 0;
};

// What writers show: "Class.method:123" for a frame with a line, else the name.
std::string frame_label(const ProfileFrame& frame);

struct ProfileStack {
    std::vector<uint32_t> frames;  // indices into Profile::frames, root first
    uint64_t samples = 0;
    uint64_t weight = 0;  // in Profile::weight_unit, e.g. nanoseconds of CPU for cpu sampling
};

struct Profile {
    std::string event;        // "cpu", "itimer", ...
    std::string weight_unit;  // what ProfileStack::weight counts: "ns", "bytes"
    std::vector<ProfileFrame> frames;
    std::vector<ProfileStack> stacks;
    // Samples whose stacks were not stored because the profiler reached its memory limit (memlimit=): they are
    // counted under one pseudo-frame, "[stacks_over_memlimit]".
    uint64_t samples_over_memlimit = 0;

    uint64_t total_samples() const;
    uint64_t total_weight() const;
};

// Distinct frames, each (name, kind, line) stored once and named by its index.
class FrameDictionary {
public:
    uint32_t intern(std::string_view name, FrameKind kind, int32_t line = 0);
    // Whether intern() would add a frame.
    bool contains(std::string_view name, FrameKind kind, int32_t line = 0) const;
    void set_file(uint32_t id, std::string file) { frames_[id].file = std::move(file); }
    // Records a full name the frame's (short) name stands for; a few distinct ones are kept, then "...".
    void add_full_name(uint32_t id, std::string_view full_name);
    const std::vector<ProfileFrame>& frames() const { return frames_; }

private:
    std::vector<ProfileFrame> frames_;
    std::unordered_map<std::string, uint32_t> index_;  // key: kind byte + line's 4 bytes + name
};

// The same profile with frames per method: frames that differ only by line become one, and so do the stacks that
// then read the same. For outputs that were not asked for lines (a session records them for its pprof output).
Profile without_lines(const Profile& profile);

// Builds a Profile by hand (tests, readers of saved profiles).
class ProfileBuilder {
public:
    ProfileBuilder(std::string event, std::string weight_unit);

    uint32_t intern(std::string_view name, FrameKind kind, int32_t line = 0) {
        return dictionary_.intern(name, kind, line);
    }
    void add_full_name(uint32_t id, std::string_view full_name) { dictionary_.add_full_name(id, full_name); }
    // An empty file leaves the frame's file as it is.
    void set_file(uint32_t id, const std::string& file) {
        if (!file.empty()) dictionary_.set_file(id, file);
    }
    void add_stack(std::vector<uint32_t> frames, uint64_t samples, uint64_t weight);
    Profile finish();

private:
    Profile profile_;
    FrameDictionary dictionary_;
};

}  // namespace hotframe
