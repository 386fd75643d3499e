#include "native/aggregate/call_trace_table.h"

namespace hotframe {

size_t CallTraceTable::FramesHash::operator()(const std::vector<uint32_t>& frames) const {
    // FNV-1a over the ids: cheap, and stacks differ mostly near the leaf, which comes first.
    uint64_t hash = 1469598103934665603ull;
    for (uint32_t id : frames) {
        hash ^= id;
        hash *= 1099511628211ull;
    }
    return static_cast<size_t>(hash);
}

void CallTraceTable::add(const std::vector<uint32_t>& frames_leaf_first, uint64_t samples, uint64_t weight,
                         uint8_t event) {
    key_.assign(frames_leaf_first.begin(), frames_leaf_first.end());
    key_.push_back(kEventMarker + event);
    Counts& counts = counts_[key_];
    counts.samples += samples;
    counts.weight += weight;
    total_samples_ += samples;
}

Profile CallTraceTable::to_profile(const std::string& event_name, const std::string& weight_unit, uint8_t event) const {
    Profile profile;
    profile.event = event_name;
    profile.weight_unit = weight_unit;
    profile.frames = dictionary_.frames();
    profile.stacks.reserve(counts_.size());
    for (const auto& entry : counts_) {
        if (entry.first.back() != kEventMarker + event) continue;
        ProfileStack stack;
        stack.frames.assign(entry.first.rbegin() + 1, entry.first.rend());
        stack.samples = entry.second.samples;
        stack.weight = entry.second.weight;
        profile.stacks.push_back(std::move(stack));
    }
    return profile;
}

void CallTraceTable::clear_stacks() {
    counts_.clear();
    total_samples_ = 0;
}

}  // namespace hotframe
