// A map from a 64-bit key (a jmethodID with its frame kind, a native pc, a kernel address) to a 32-bit frame id,
// for the aggregator's caches that are looked up once per frame of every sample. std::unordered_map costs a node
// per entry and a pointer chase per lookup; this one keeps keys and ids in one array (open addressing, linear
// probing, a power-of-two capacity kept at most 5/8 full), so that a hit is one multiply and usually one cache
// line. Key 0 marks an empty slot, so it is kept beside the array instead: any key can be stored.
// Not thread-safe: the aggregator uses it under its lock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hotframe {

class FlatIdMap {
public:
    // The id stored under `key`, or nullptr. The pointer is good until the next insert or clear.
    const uint32_t* find(uint64_t key) const {
        if (key == 0) return has_zero_key_ ? &zero_key_id_ : nullptr;
        if (slots_.empty()) return nullptr;
        for (size_t i = slot_of(key);; i = (i + 1) & mask_) {
            const Slot& slot = slots_[i];
            if (slot.key == key) return &slot.id;
            if (slot.key == 0) return nullptr;
        }
    }

    // Stores `id` under `key`, replacing the id stored there before.
    void insert(uint64_t key, uint32_t id);

    size_t size() const { return size_ + (has_zero_key_ ? 1 : 0); }
    // Forgets every entry and gives the memory back (the end of a loop= interval).
    void clear();

private:
    struct Slot {
        uint64_t key = 0;  // 0: empty
        uint32_t id = 0;
    };

    size_t slot_of(uint64_t key) const {
        // Fibonacci hashing: the multiply spreads the low bits that pointers and pcs share (alignment) into the
        // high bits, which pick the slot.
        return static_cast<size_t>((key * 0x9e3779b97f4a7c15ull) >> shift_);
    }
    void grow();

    std::vector<Slot> slots_;
    size_t mask_ = 0;
    unsigned shift_ = 64;
    size_t size_ = 0;  // occupied slots
    bool has_zero_key_ = false;
    uint32_t zero_key_id_ = 0;
};

}  // namespace hotframe
