// Signal-safe. A bounded multi-producer / single-consumer ring of fixed-size records in preallocated memory.
//
// Each slot carries a sequence number (the scheme of Vyukov's bounded queue). For the slot at position p:
//   seq == p             the slot is free for the producer that claims position p
//   seq == p + 1         a producer has committed the record at p; the consumer may read it
//   seq == p + capacity  the consumer has released it for the producer of the next lap
// Memory ordering: a producer claims a position with a CAS on enqueue_pos_ (relaxed: the claim itself publishes
// nothing), writes the record, then stores seq = p + 1 with release. The consumer loads seq with acquire, so
// it sees the whole record, reads it, and stores seq = p + capacity with release, so a producer that loads it
// with acquire cannot overwrite the slot before the consumer is done with it.
// A producer never waits: when the slot at its position is not free, the ring is full and try_claim fails.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <atomic>

namespace hotframe {

class RingBuffer {
public:
    struct Slot {
        std::atomic<uint64_t> seq;
    };

    // `memory` must hold bytes_needed(capacity, record_bytes) bytes; capacity is a power of two.
    static size_t bytes_needed(uint32_t capacity, uint32_t record_bytes) {
        return static_cast<size_t>(capacity) * stride_for(record_bytes);
    }

    void init(void* memory, uint32_t capacity, uint32_t record_bytes) {
        base_ = static_cast<char*>(memory);
        capacity_ = capacity;
        mask_ = capacity - 1;
        stride_ = stride_for(record_bytes);
        for (uint32_t i = 0; i < capacity; i++) slot_at(i)->seq.store(i, std::memory_order_relaxed);
        enqueue_pos_.store(0, std::memory_order_relaxed);
        dequeue_pos_ = 0;
        std::atomic_thread_fence(std::memory_order_release);
    }

    // Producer: returns the record memory of a claimed slot, or nullptr when the ring is full.
    // The caller must pass the same position to commit().
    void* try_claim(uint64_t* position) {
        uint64_t pos = enqueue_pos_.load(std::memory_order_relaxed);
        for (;;) {
            Slot* slot = slot_at(pos);
            uint64_t seq = slot->seq.load(std::memory_order_acquire);
            int64_t diff = static_cast<int64_t>(seq) - static_cast<int64_t>(pos);
            if (diff == 0) {
                if (enqueue_pos_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) {
                    *position = pos;
                    return record_of(slot);
                }
                // pos was reloaded by the failed CAS: retry at the new position.
            } else if (diff < 0) {
                return nullptr;  // the consumer has not released this slot yet: full
            } else {
                pos = enqueue_pos_.load(std::memory_order_relaxed);
            }
        }
    }

    void commit(uint64_t position) { slot_at(position)->seq.store(position + 1, std::memory_order_release); }

    // Consumer (one thread only): the oldest committed record, or nullptr if none is ready yet.
    const void* peek() {
        Slot* slot = slot_at(dequeue_pos_);
        if (slot->seq.load(std::memory_order_acquire) != dequeue_pos_ + 1) return nullptr;
        return record_of(slot);
    }

    // Consumer: hands the slot returned by peek() back to the producers.
    void release() {
        slot_at(dequeue_pos_)->seq.store(dequeue_pos_ + capacity_, std::memory_order_release);
        dequeue_pos_++;
    }

    uint32_t capacity() const { return capacity_; }

private:
    static uint32_t stride_for(uint32_t record_bytes) {
        uint32_t raw = static_cast<uint32_t>(sizeof(Slot)) + record_bytes;
        return (raw + 63u) & ~63u;  // a cache line per slot at least, so producers do not share lines
    }
    Slot* slot_at(uint64_t pos) const {
        return reinterpret_cast<Slot*>(base_ + static_cast<size_t>(pos & mask_) * stride_);
    }
    static void* record_of(Slot* slot) { return reinterpret_cast<char*>(slot) + sizeof(Slot); }

    alignas(64) std::atomic<uint64_t> enqueue_pos_{0};
    alignas(64) uint64_t dequeue_pos_ = 0;
    char* base_ = nullptr;
    uint32_t capacity_ = 0;
    uint32_t mask_ = 0;
    uint32_t stride_ = 0;
};

}  // namespace hotframe
