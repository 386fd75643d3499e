// The aggregated samples of one profiling session: distinct frames (name + kind, each stored once) and, per
// distinct stack and event, the number of samples and their total weight. The events of a session (e.g. cpu
// and alloc) share the frame names but never their counts. Filled by the aggregator, read at dump time.
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
    bool frame_has_file(uint32_t id) const { return !dictionary_.frames()[id].file.empty(); }
    void set_frame_file(uint32_t id, std::string file) { dictionary_.set_file(id, std::move(file)); }
    void add_frame_full_name(uint32_t id, std::string_view full_name) { dictionary_.add_full_name(id, full_name); }

    // `frames_leaf_first` holds ids from intern_frame, the innermost frame first, as stack walks produce them.
    // `event` is an EventSlot: which of the session's profiles the stack belongs to.
    void add(const std::vector<uint32_t>& frames_leaf_first, uint64_t samples, uint64_t weight, uint8_t event = 0);

    // The stacks of one event.
    Profile to_profile(const std::string& event_name, const std::string& weight_unit, uint8_t event = 0) const;

    // Over all events.
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

    // A stack's key is its frame ids followed by this marker plus the event: frame ids never come near it.
    static constexpr uint32_t kEventMarker = 0xffffff00u;

    FrameDictionary dictionary_;
    std::vector<uint32_t> key_;  // reused by add()
    std::unordered_map<std::vector<uint32_t>, Counts, FramesHash> counts_;
    uint64_t total_samples_ = 0;
};

}  // namespace hotframe
