// The aggregated samples of one profiling session: distinct frames (name + kind, each stored once) and, per
// distinct stack, the number of samples and their total weight. Filled by the aggregator, read at dump time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "native/aggregate/profile.h"

namespace hotframe {

class CallTraceTable {
public:
    uint32_t intern_frame(std::string_view name, FrameKind kind) { return dictionary_.intern(name, kind); }

    const std::string& to_frame_name(uint32_t id) const { return dictionary_.frames()[id].name; }

    // `frames_leaf_first` holds ids from intern_frame, the innermost frame first, as stack walks produce them.
    void add(const std::vector<uint32_t>& frames_leaf_first, uint64_t samples, uint64_t weight);

    Profile to_profile(const std::string& event, const std::string& weight_unit) const;

    uint64_t total_samples() const { return total_samples_; }
    size_t distinct_stacks() const { return counts_.size(); }

    // Forgets the stacks but keeps the frame names, which the next interval will mostly need again.
    void clear_stacks();

private:
    struct Counts {
        uint64_t samples = 0;
        uint64_t weight = 0;
    };
    struct FramesHash {
        size_t operator()(const std::vector<uint32_t>& frames) const;
    };

    FrameDictionary dictionary_;
    std::unordered_map<std::vector<uint32_t>, Counts, FramesHash> counts_;
    uint64_t total_samples_ = 0;
};

}  // namespace hotframe
