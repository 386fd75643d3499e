#include "native/aggregate/call_trace_table.h"

#include <algorithm>

namespace hotframe {

namespace {

// What a container entry costs beyond its payload: the hash node, its pointers, the allocator's header.
constexpr uint64_t kEntryOverhead = 64;

}  // namespace

CallTraceTable::CallTraceTable(uint64_t memory_limit_bytes) : limit_bytes_(memory_limit_bytes) { start_empty(); }

void CallTraceTable::start_empty() {
    dictionary_ = FrameDictionary();
    counts_.clear();
    total_samples_ = 0;
    samples_over_limit_ = 0;
    counted_bytes_ = 0;
    over_limit_frame_ = dictionary_.intern(kOverLimitFrame, FrameKind::kPseudo);
}

uint32_t CallTraceTable::intern_frame(std::string_view name, FrameKind kind, int32_t line) {
    if (over_limit() && !dictionary_.contains(name, kind, line)) return over_limit_frame_;
    size_t before = dictionary_.frames().size();
    uint32_t id = dictionary_.intern(name, kind, line);
    // The name is stored twice (the frame and the index key) besides two entries.
    if (dictionary_.frames().size() != before) counted_bytes_ += 2 * (name.size() + kEntryOverhead);
    return id;
}

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
    auto found = counts_.find(key_);
    if (found == counts_.end()) {
        bool has_unstored_frame = std::find(key_.begin(), key_.end(), over_limit_frame_) != key_.end();
        if (over_limit() || has_unstored_frame) {
            key_.assign({over_limit_frame_, kEventMarker + event});
            samples_over_limit_ += samples;
            found = counts_.find(key_);
        }
    }
    if (found == counts_.end()) {
        counted_bytes_ += key_.size() * sizeof(uint32_t) + sizeof(Counts) + kEntryOverhead;
        found = counts_.emplace(key_, Counts{}).first;
    }
    Counts& counts = found->second;
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
        if (entry.first.size() == 2 && entry.first[0] == over_limit_frame_) {
            profile.samples_over_memlimit = entry.second.samples;
        }
        stack.samples = entry.second.samples;
        stack.weight = entry.second.weight;
        profile.stacks.push_back(std::move(stack));
    }
    return profile;
}

void CallTraceTable::clear() { start_empty(); }

}  // namespace hotframe
