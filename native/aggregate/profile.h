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
};

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

// Distinct frames, each (name, kind) stored once and named by its index.
class FrameDictionary {
public:
    uint32_t intern(std::string_view name, FrameKind kind);
    // Whether intern() would add a frame.
    bool contains(std::string_view name, FrameKind kind) const;
    void set_file(uint32_t id, std::string file) { frames_[id].file = std::move(file); }
    // Records a full name the frame's (short) name stands for; a few distinct ones are kept, then "...".
    void add_full_name(uint32_t id, std::string_view full_name);
    const std::vector<ProfileFrame>& frames() const { return frames_; }

private:
    std::vector<ProfileFrame> frames_;
    std::unordered_map<std::string, uint32_t> index_;  // key: kind byte + name
};

// Builds a Profile by hand (tests, readers of saved profiles).
class ProfileBuilder {
public:
    ProfileBuilder(std::string event, std::string weight_unit);

    uint32_t intern(std::string_view name, FrameKind kind) { return dictionary_.intern(name, kind); }
    void add_full_name(uint32_t id, std::string_view full_name) { dictionary_.add_full_name(id, full_name); }
    void add_stack(std::vector<uint32_t> frames, uint64_t samples, uint64_t weight);
    Profile finish();

private:
    Profile profile_;
    FrameDictionary dictionary_;
};

}  // namespace hotframe
