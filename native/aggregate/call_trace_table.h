// The aggregated samples of one profiling session: distinct frames (name + kind, each stored once) and, per
// distinct stack and event, the number of samples and their total weight. The events of a session (e.g. cpu
// and alloc) share the frame names but never their counts. Filled by the aggregator, read at dump time.
// Its memory is counted and capped (memlimit=): once the frames and stacks it holds reach the limit, samples
// of stacks it has not seen yet are counted under one pseudo-frame, kOverLimitFrame, so that widths still
// add up, and frames it has not seen are not stored.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "native/aggregate/profile.h"

namespace hotframe {

class CallTraceTable {
public:
    static constexpr const char* kOverLimitFrame = "[stacks_over_memlimit]";

    // 0: no limit.
    explicit CallTraceTable(uint64_t memory_limit_bytes = 0);

    // Over the limit, a frame not seen before is not stored: the over-limit frame's id comes back instead.
    // `line`: a Java frame's source line with option lines (0: none); frames of one method on different lines are
    // different frames.
    uint32_t intern_frame(std::string_view name, FrameKind kind, int32_t line = 0);
    bool over_limit() const { return limit_bytes_ != 0 && counted_bytes_ >= limit_bytes_; }
    uint32_t over_limit_frame() const { return over_limit_frame_; }
    // An estimate of what the frames and stacks take, close enough to hold a cap.
    uint64_t counted_bytes() const { return counted_bytes_; }
    // The aggregator's caches that point into this table (method, pc and address to frame id) are memory of
    // the same session: each entry is counted, so that the cap holds for them too.
    void count_cache_entry(size_t payload_bytes) { counted_bytes_ += payload_bytes + 48; }
    // Samples that were counted under the over-limit frame.
    uint64_t samples_over_limit() const { return samples_over_limit_; }

    size_t frame_count() const { return dictionary_.frames().size(); }
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
    size_t distinct_stacks() const { return stacks_.size(); }

    // Forgets everything (the end of a loop= interval): frames and stacks of written intervals are not kept, so
    // that a session running for days does not grow with every class it ever saw.
    void clear();
    // Changes at every clear(): caches of frame ids (see PseudoFrameIds) tell by it that their ids are stale.
    uint64_t generation() const { return generation_; }

private:
    struct Counts {
        uint64_t samples = 0;
        uint64_t weight = 0;
    };
    // One distinct (frames, event): its frames are stack_frames_[offset, offset + length), leaf first.
    struct Stack {
        size_t offset;
        uint32_t length;
        uint8_t event;
        uint64_t hash;  // kept for growing the index without hashing every stack again
        Counts counts;
    };
    // A slot of the stack index: 0 for empty, else the stack's position in stacks_ plus one in the low half and
    // the top half of its hash in the high half, so that a probe passing another stack seldom has to read it.
    using Slot = uint64_t;
    static Slot slot_for(uint64_t hash, size_t position) { return (hash & ~0xffffffffull) | (position + 1); }

    void start_empty();
    static uint64_t hash_of(const uint32_t* frames, size_t length, uint8_t event);
    // The stack with these frames and event, or nullptr.
    Stack* find(const uint32_t* frames, size_t length, uint8_t event, uint64_t hash);
    Stack& insert(const uint32_t* frames, size_t length, uint8_t event, uint64_t hash);
    size_t slot_of(uint64_t hash) const;
    void grow_index();

    const uint64_t limit_bytes_;
    uint64_t counted_bytes_ = 0;
    uint64_t samples_over_limit_ = 0;
    uint32_t over_limit_frame_ = 0;
    uint64_t generation_ = 0;
    FrameDictionary dictionary_;
    // The stacks, in the order they were first seen, over one array of frames: no allocation per stack, and
    // adding a sample of a known stack hashes its ids once and compares them with one stack's.
    std::vector<uint32_t> stack_frames_;
    std::vector<Stack> stacks_;
    std::vector<Slot> index_;  // open addressing, linear probing, power-of-two size kept at most half full
    uint64_t total_samples_ = 0;
};

}  // namespace hotframe
