#include "native/aggregate/flat_id_map.h"

#include <utility>

namespace hotframe {

namespace {

// Small enough that a session with few distinct frames costs little, large enough to skip the first doublings.
constexpr size_t kInitialSlots = 64;

}  // namespace

void FlatIdMap::insert(uint64_t key, uint32_t id) {
    if (key == 0) {
        has_zero_key_ = true;
        zero_key_id_ = id;
        return;
    }
    // Past 5/8 full, linear probing's runs grow long; doubling keeps a miss to a few slots.
    if ((size_ + 1) * 8 > slots_.size() * 5) grow();
    for (size_t i = slot_of(key);; i = (i + 1) & mask_) {
        Slot& slot = slots_[i];
        if (slot.key == key) {
            slot.id = id;
            return;
        }
        if (slot.key == 0) {
            slot = Slot{key, id};
            size_++;
            return;
        }
    }
}

void FlatIdMap::grow() {
    std::vector<Slot> old = std::move(slots_);
    size_t capacity = old.empty() ? kInitialSlots : old.size() * 2;
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    shift_ = 64;
    for (size_t c = capacity; c > 1; c >>= 1) shift_--;  // 64 - log2(capacity): the top bits pick the slot
    for (const Slot& slot : old) {
        if (slot.key == 0) continue;
        size_t i = slot_of(slot.key);
        while (slots_[i].key != 0) i = (i + 1) & mask_;
        slots_[i] = slot;
    }
}

void FlatIdMap::clear() {
    // Swapped with an empty vector, not cleared: one busy interval should not keep its capacity for ever.
    std::vector<Slot>().swap(slots_);
    mask_ = 0;
    shift_ = 64;
    size_ = 0;
    has_zero_key_ = false;
    zero_key_id_ = 0;
}

}  // namespace hotframe
