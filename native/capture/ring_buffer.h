// Signal-safe. A bounded multi-producer / single-consumer ring of variable-size records in preallocated memory.
//
// Why variable size: a record has room for the deepest stack (16 KB), but most samples need a few hundred bytes.
// With fixed slots a ring held 512 records, so at 10,000 samples a second the aggregator had to wake every few
// milliseconds, and a wake-up costs tens of microseconds here; packed, the same memory holds thousands of records.
// A record that another producer claimed after, before it was committed, keeps all its room: in the worst case
// (every record so) a ring holds only capacity / largest record of them. SampleCounters::unpacked counts them.
//
// Positions are byte offsets that only grow (64 bits: they never wrap in practice); a position's place in memory
// is position % capacity. Each record is framed by a RecordFrame: a commit word and its stride (the bytes to the
// next record), followed by the record itself.
//
// Producer: try_claim() reserves the largest record (max_record_bytes) with a CAS on enqueue_pos_, after checking
// that the consumer has released everything that far back. The caller writes the record, then commit() with the
// bytes it used: if no other producer has claimed after it meanwhile, a CAS gives the unused tail back (the usual
// case); otherwise the record keeps the whole reservation as its stride (commit() says which, for the counters).
// Then the commit word is stored (release). A producer never waits: when the room is not there, the ring is full
// and try_claim fails.
//
// enqueue_pos_ hands bytes from producer to producer: a walk may have written past its record's end (a fault or
// a failed AsyncGetCallTrace after some frames) before it gives that tail back, and the next producer writes the
// same bytes. So the give-back CAS releases and the claim CAS acquires.
//
// A record never wraps: its first byte is at position % capacity and it may run into an overhang of one largest
// record past the end of the ring. No two live records overlap: the byte of position q is at offset q % capacity,
// or at capacity + q % capacity in a record that started before the end; and the positions being written or not
// yet read all lie in one window [released, released + capacity) (the full check), so they differ modulo the
// capacity, and so do their offsets.
//
// Consumer: peek() reads the commit word at its position (acquire) and accepts the record only when the word is
// committed_mark(position). The mark is a bijection of the position, so a word left in memory by an earlier lap
// (another position) or by a record's contents is not taken for a commit, except by a 64-bit coincidence with
// arbitrary data. release() advances by the stride and publishes the new position (release), so a producer that
// loads it with acquire cannot overwrite bytes the consumer is still reading.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <atomic>

namespace hotframe {

class RingBuffer {
public:
    // How a record is framed in the ring: the first 16 bytes of its stride.
    struct RecordFrame {
        std::atomic<uint64_t> commit;  // committed_mark(position) once the record may be read
        uint32_t stride;               // bytes from this record's position to the next one's
        uint32_t unused;
    };

    // The memory a ring of `capacity_bytes` (a power of two) needs for records of up to `max_record_bytes`.
    static size_t bytes_needed(size_t capacity_bytes, uint32_t max_record_bytes) {
        return capacity_bytes + stride_for(max_record_bytes);
    }

    // `memory` holds bytes_needed() bytes, all zero (fresh anonymous memory), and has never been used by a ring:
    // positions start at 0 again, so a ring's old commit marks must not be there. `capacity_bytes` is a power of
    // two that holds several largest records (the aggregator's rings hold 250).
    void init(void* memory, size_t capacity_bytes, uint32_t max_record_bytes) {
        base_ = static_cast<char*>(memory);
        capacity_ = capacity_bytes;
        mask_ = capacity_bytes - 1;
        max_stride_ = stride_for(max_record_bytes);
        enqueue_pos_.store(0, std::memory_order_relaxed);
        released_pos_.store(0, std::memory_order_relaxed);
        dequeue_pos_ = 0;
        std::atomic_thread_fence(std::memory_order_release);
    }

    // Producer: room for one record of up to max_record_bytes, or nullptr when the ring is full. The caller must
    // pass the same position to commit().
    void* try_claim(uint64_t* position) {
        uint64_t pos = enqueue_pos_.load(std::memory_order_relaxed);
        for (;;) {
            // Acquire: the consumer's reads of the bytes it released happened before this producer writes them.
            uint64_t released = released_pos_.load(std::memory_order_acquire);
            if (pos < released) {
                // A stale pos: others claimed and the consumer took their records since.
                pos = enqueue_pos_.load(std::memory_order_relaxed);
                continue;
            }
            if (pos - released + max_stride_ > capacity_) return nullptr;
            // Acquire on success: the bytes may be a tail another producer gave back (see the top).
            if (enqueue_pos_.compare_exchange_weak(pos, pos + max_stride_, std::memory_order_acquire,
                                                   std::memory_order_relaxed)) {
                *position = pos;
                return record_of(frame_at(pos));
            }
        }
    }

    // Producer: publishes the record claimed at `position`, of which the first `used_bytes` (at most
    // max_record_bytes) matter. False when the unused tail could not be given back.
    bool commit(uint64_t position, uint32_t used_bytes) {
        uint32_t stride = stride_for(used_bytes);
        if (stride > max_stride_) stride = max_stride_;
        uint64_t claimed_end = position + max_stride_;
        // Give the unused tail back, unless another producer (another thread, or a signal handler on this one)
        // claimed after this record; then the next record starts after the whole reservation.
        bool packed = stride == max_stride_ ||
                      enqueue_pos_.compare_exchange_strong(claimed_end, position + stride, std::memory_order_release,
                                                           std::memory_order_relaxed);
        if (!packed) stride = max_stride_;
        RecordFrame* frame = frame_at(position);
        frame->stride = stride;
        frame->commit.store(committed_mark(position), std::memory_order_release);
        return packed;
    }

    // Consumer (one thread only): the oldest committed record, or nullptr if none is ready yet.
    const void* peek() {
        RecordFrame* frame = frame_at(dequeue_pos_);
        if (frame->commit.load(std::memory_order_acquire) != committed_mark(dequeue_pos_)) return nullptr;
        // A stride no commit writes could only come with a mark matched by chance (see the top): such a record is
        // never handed out, and the ring stops there (full, its samples counted as dropped) rather than the
        // consumer reading anywhere or looping on a stride of 0.
        uint32_t stride = frame->stride;
        if (stride < kStrideAlignment || stride > max_stride_ || stride % kStrideAlignment != 0) return nullptr;
        return record_of(frame);
    }

    // Consumer: hands the record returned by peek() back to the producers; returns the bytes it took.
    uint32_t release() {
        uint32_t stride = frame_at(dequeue_pos_)->stride;
        dequeue_pos_ += stride;
        released_pos_.store(dequeue_pos_, std::memory_order_release);
        return stride;
    }

    // Consumer, while no producer can claim (between sessions): forgets what was not read. Positions go on
    // from where they are, never back, so the commit marks already in memory stay unmatched.
    void discard_pending() {
        dequeue_pos_ = enqueue_pos_.load(std::memory_order_acquire);
        released_pos_.store(dequeue_pos_, std::memory_order_release);
    }

private:
    // Records start on cache lines, so producers do not share lines; every stride is a multiple of this.
    static constexpr uint32_t kStrideAlignment = 64;
    static uint32_t stride_for(uint32_t record_bytes) {
        uint32_t raw = static_cast<uint32_t>(sizeof(RecordFrame)) + record_bytes;
        return (raw + kStrideAlignment - 1) & ~(kStrideAlignment - 1);
    }
    // Never 0 (memory starts zeroed): 0 would need position == the salt, about 2^62 bytes into a ring.
    static uint64_t committed_mark(uint64_t position) {
        return (position ^ 0x5a17c0de5a17c0deull) * 0x9e3779b97f4a7c15ull;  // odd multiplier: a bijection
    }
    RecordFrame* frame_at(uint64_t position) const {
        return reinterpret_cast<RecordFrame*>(base_ + static_cast<size_t>(position & mask_));
    }
    static void* record_of(RecordFrame* frame) { return reinterpret_cast<char*>(frame) + sizeof(RecordFrame); }

    alignas(64) std::atomic<uint64_t> enqueue_pos_{0};
    alignas(64) std::atomic<uint64_t> released_pos_{0};
    alignas(64) uint64_t dequeue_pos_ = 0;
    char* base_ = nullptr;
    size_t capacity_ = 0;
    size_t mask_ = 0;
    uint32_t max_stride_ = 0;
};

}  // namespace hotframe
