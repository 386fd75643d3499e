#include "native/aggregate/call_trace_table.h"

#include <algorithm>
#include <cstring>

namespace hotframe {

namespace {

// What a container entry costs beyond its payload: the hash node, its pointers, the allocator's header.
constexpr uint64_t kEntryOverhead = 64;
constexpr size_t kInitialIndexSlots = 1024;

}  // namespace

CallTraceTable::CallTraceTable(uint64_t memory_limit_bytes) : limit_bytes_(memory_limit_bytes) { start_empty(); }

void CallTraceTable::start_empty() {
    dictionary_ = FrameDictionary();
    // Swapped with empty vectors, not cleared: one busy interval should not keep its capacity for ever.
    std::vector<uint32_t>().swap(stack_frames_);
    std::vector<Stack>().swap(stacks_);
    std::vector<Slot>().swap(index_);
    total_samples_ = 0;
    samples_over_limit_ = 0;
    counted_bytes_ = 0;
    generation_++;
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

uint64_t CallTraceTable::hash_of(const uint32_t* frames, size_t length, uint8_t event) {
    // FNV-1a over the ids and the event: cheap, and stacks differ mostly near the leaf, which comes first.
    uint64_t hash = 1469598103934665603ull;
    for (size_t i = 0; i < length; i++) {
        hash ^= frames[i];
        hash *= 1099511628211ull;
    }
    hash ^= event;
    hash *= 1099511628211ull;
    return hash;
}

size_t CallTraceTable::slot_of(uint64_t hash) const {
    // FNV's last multiply leaves the low bits weak: a Fibonacci multiply moves the well-mixed bits down.
    return static_cast<size_t>((hash * 0x9e3779b97f4a7c15ull) >> 32) & (index_.size() - 1);
}

CallTraceTable::Stack* CallTraceTable::find(const uint32_t* frames, size_t length, uint8_t event, uint64_t hash) {
    if (index_.empty()) return nullptr;
    for (size_t i = slot_of(hash);; i = (i + 1) & (index_.size() - 1)) {
        Slot slot = index_[i];
        if (slot == 0) return nullptr;
        if ((slot ^ hash) >> 32 != 0) continue;  // another stack's hash
        Stack& stack = stacks_[(slot & 0xffffffffu) - 1];
        // An empty stack's frames may be a null pointer, which memcmp must not see even for 0 bytes.
        if (stack.hash == hash && stack.length == length && stack.event == event &&
            (length == 0 || std::memcmp(stack_frames_.data() + stack.offset, frames, length * sizeof(uint32_t)) == 0)) {
            return &stack;
        }
    }
}

CallTraceTable::Stack& CallTraceTable::insert(const uint32_t* frames, size_t length, uint8_t event, uint64_t hash) {
    if ((stacks_.size() + 1) * 2 > index_.size()) grow_index();
    size_t offset = stack_frames_.size();
    if (length != 0) stack_frames_.insert(stack_frames_.end(), frames, frames + length);
    stacks_.push_back(Stack{offset, static_cast<uint32_t>(length), event, hash, Counts{}});
    size_t i = slot_of(hash);
    while (index_[i] != 0) i = (i + 1) & (index_.size() - 1);
    index_[i] = slot_for(hash, stacks_.size() - 1);
    return stacks_.back();
}

void CallTraceTable::grow_index() {
    index_.assign(index_.empty() ? kInitialIndexSlots : index_.size() * 2, 0);
    for (size_t s = 0; s < stacks_.size(); s++) {
        size_t i = slot_of(stacks_[s].hash);
        while (index_[i] != 0) i = (i + 1) & (index_.size() - 1);
        index_[i] = slot_for(stacks_[s].hash, s);
    }
}

void CallTraceTable::add(const std::vector<uint32_t>& frames_leaf_first, uint64_t samples, uint64_t weight,
                         uint8_t event) {
    const uint32_t* frames = frames_leaf_first.data();
    size_t length = frames_leaf_first.size();
    uint64_t hash = hash_of(frames, length, event);
    Stack* found = find(frames, length, event, hash);
    if (found == nullptr) {
        bool has_unstored_frame =
            std::find(frames_leaf_first.begin(), frames_leaf_first.end(), over_limit_frame_) != frames_leaf_first.end();
        if (over_limit() || has_unstored_frame) {
            frames = &over_limit_frame_;
            length = 1;
            hash = hash_of(frames, length, event);
            samples_over_limit_ += samples;
            found = find(frames, length, event, hash);
        }
    }
    if (found == nullptr) {
        // As counted when a stack was a vector key with the event after its frames: memlimit's caps stay put.
        counted_bytes_ += (length + 1) * sizeof(uint32_t) + sizeof(Counts) + kEntryOverhead;
        found = &insert(frames, length, event, hash);
    }
    found->counts.samples += samples;
    found->counts.weight += weight;
    total_samples_ += samples;
}

Profile CallTraceTable::to_profile(const std::string& event_name, const std::string& weight_unit, uint8_t event) const {
    Profile profile;
    profile.event = event_name;
    profile.weight_unit = weight_unit;
    profile.frames = dictionary_.frames();
    profile.stacks.reserve(stacks_.size());
    for (const Stack& entry : stacks_) {
        if (entry.event != event) continue;
        const uint32_t* leaf = stack_frames_.data() + entry.offset;
        ProfileStack stack;
        stack.frames.assign(std::make_reverse_iterator(leaf + entry.length), std::make_reverse_iterator(leaf));
        if (entry.length == 1 && leaf[0] == over_limit_frame_) profile.samples_over_memlimit = entry.counts.samples;
        stack.samples = entry.counts.samples;
        stack.weight = entry.counts.weight;
        profile.stacks.push_back(std::move(stack));
    }
    return profile;
}

void CallTraceTable::clear() { start_empty(); }

}  // namespace hotframe
