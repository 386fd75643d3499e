#include "native/capture/ring_buffer.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <cstring>
#include <thread>
#include <vector>

using hotframe::RingBuffer;

namespace {

// A record of 1..kMaxWords words after a small header, every word derived from (producer, sequence), so that a
// torn, overwritten or misplaced record is detectable.
constexpr uint32_t kMaxWords = 64;
struct TestRecord {
    uint64_t producer;
    uint64_t sequence;
    uint64_t count;
    uint64_t words[kMaxWords];
};
constexpr uint32_t kMaxRecordBytes = sizeof(TestRecord);

uint32_t used_bytes(uint64_t count) { return static_cast<uint32_t>(offsetof(TestRecord, words) + count * 8); }

void fill(TestRecord* record, uint64_t producer, uint64_t sequence, uint64_t count) {
    record->producer = producer;
    record->sequence = sequence;
    record->count = count;
    for (uint64_t i = 0; i < count; i++) record->words[i] = (producer << 40) ^ (sequence << 8) ^ i;
}

bool intact(const TestRecord* record) {
    if (record->count == 0 || record->count > kMaxWords) return false;
    for (uint64_t i = 0; i < record->count; i++) {
        if (record->words[i] != ((record->producer << 40) ^ (record->sequence << 8) ^ i)) return false;
    }
    return true;
}

// Zeroed memory, 8-byte aligned, for a ring of `capacity` bytes.
struct RingMemory {
    explicit RingMemory(size_t capacity) : words((RingBuffer::bytes_needed(capacity, kMaxRecordBytes) + 7) / 8) {
        ring.init(words.data(), capacity, kMaxRecordBytes);
    }
    std::vector<uint64_t> words;
    RingBuffer ring;
};

// As a real producer may (a walk that faults or fails after writing frames), the whole claimed room is written
// before the record: the tail given back must not show up in the next record.
bool put(RingBuffer& ring, uint64_t producer, uint64_t sequence, uint64_t count, bool* packed = nullptr) {
    uint64_t position = 0;
    auto* record = static_cast<TestRecord*>(ring.try_claim(&position));
    if (record == nullptr) return false;
    std::memset(record, 0xa5, kMaxRecordBytes);
    fill(record, producer, sequence, count);
    bool was_packed = ring.commit(position, used_bytes(count));
    if (packed != nullptr) *packed = was_packed;
    return true;
}

// The next record, checked and released; false if none is ready.
bool take(RingBuffer& ring, uint64_t* producer, uint64_t* sequence, uint64_t* count) {
    auto* record = static_cast<const TestRecord*>(ring.peek());
    if (record == nullptr) return false;
    REQUIRE(intact(record));
    *producer = record->producer;
    *sequence = record->sequence;
    *count = record->count;
    ring.release();
    return true;
}

// Strides are the framing's 16 bytes plus the record, in cache lines.
constexpr uint32_t stride_of(uint32_t bytes) { return (16 + bytes + 63) & ~63u; }

}  // namespace

TEST_CASE("a ring packs small records, hands them back in order and is full only without room for the largest",
          "[ring]") {
    constexpr size_t kCapacity = 4096;
    RingMemory memory(kCapacity);
    RingBuffer& ring = memory.ring;
    // Two words: 16 + 24 + 16 bytes, one cache line each.
    const uint32_t small = stride_of(used_bytes(2));
    const uint32_t largest = stride_of(kMaxRecordBytes);
    REQUIRE(small == 64);
    uint64_t fitted = 0;
    while (put(ring, 1, fitted, 2)) fitted++;
    // A claim needs room for the largest record, the last small one included.
    CHECK(fitted == (kCapacity - largest) / small + 1);
    for (uint64_t i = 0; i < fitted; i++) {
        uint64_t producer, sequence, count;
        REQUIRE(take(ring, &producer, &sequence, &count));
        CHECK(sequence == i);
        CHECK(count == 2);
    }
    CHECK(ring.peek() == nullptr);
    CHECK(put(ring, 1, fitted, kMaxWords));
}

TEST_CASE("a claimed but uncommitted record holds back the records committed after it", "[ring]") {
    RingMemory memory(4096);
    RingBuffer& ring = memory.ring;
    uint64_t first = 0;
    auto* record = static_cast<TestRecord*>(ring.try_claim(&first));
    REQUIRE(record != nullptr);
    CHECK(ring.peek() == nullptr);
    // Claimed while the first is open: it keeps its whole reservation, the second gives its tail back.
    bool packed = false;
    REQUIRE(put(ring, 2, 0, 3, &packed));
    CHECK(packed);
    CHECK(ring.peek() == nullptr);
    fill(record, 1, 0, 5);
    CHECK_FALSE(ring.commit(first, used_bytes(5)));
    uint64_t producer, sequence, count;
    REQUIRE(take(ring, &producer, &sequence, &count));
    CHECK(producer == 1);
    REQUIRE(take(ring, &producer, &sequence, &count));
    CHECK(producer == 2);
    CHECK(count == 3);
    CHECK(ring.peek() == nullptr);
}

TEST_CASE("records of every size keep their contents across many laps, the ones at the end of the ring too", "[ring]") {
    // A small ring: records often start near its end and run into the overhang.
    constexpr size_t kCapacity = 2048;
    RingMemory memory(kCapacity);
    RingBuffer& ring = memory.ring;
    uint64_t next_put = 0, next_take = 0;
    size_t bytes_taken = 0;
    while (bytes_taken < 200 * kCapacity) {
        // Sizes cycle through 1..kMaxWords words, so a record starts at every cache line of the ring in turn.
        while (put(ring, 7, next_put, 1 + next_put % kMaxWords)) next_put++;
        uint64_t producer, sequence, count;
        while (take(ring, &producer, &sequence, &count)) {
            CHECK(producer == 7);
            CHECK(sequence == next_take);
            CHECK(count == 1 + next_take % kMaxWords);
            bytes_taken += stride_of(used_bytes(count));
            next_take++;
        }
        // Emptied: the commit marks of earlier laps still in memory are not taken for new records.
        REQUIRE(next_take == next_put);
        CHECK(ring.peek() == nullptr);
    }
}

TEST_CASE("discard_pending drops what was not read and the ring goes on", "[ring]") {
    RingMemory memory(4096);
    RingBuffer& ring = memory.ring;
    for (uint64_t i = 0; i < 10; i++) REQUIRE(put(ring, 1, i, 4));
    ring.discard_pending();
    CHECK(ring.peek() == nullptr);
    REQUIRE(put(ring, 2, 0, 4));
    uint64_t producer, sequence, count;
    REQUIRE(take(ring, &producer, &sequence, &count));
    CHECK(producer == 2);
    CHECK(ring.peek() == nullptr);
}

TEST_CASE("several producers under stress: nothing lost, nothing torn", "[ring][stress]") {
    constexpr size_t kCapacity = 16384;  // small, so producers often find it full and records wrap often
    constexpr int kProducers = 4;
    constexpr uint64_t kPerProducer = 200'000;
    RingMemory memory(kCapacity);
    RingBuffer& ring = memory.ring;

    std::atomic<uint64_t> full_count{0};
    std::vector<std::thread> producers;
    for (int p = 0; p < kProducers; p++) {
        producers.emplace_back([&, p] {
            for (uint64_t i = 0; i < kPerProducer;) {
                // Sizes differ by producer and record, so give-backs race with other producers' claims.
                if (!put(ring, static_cast<uint64_t>(p), i, 1 + (i * 7 + static_cast<uint64_t>(p)) % kMaxWords)) {
                    full_count.fetch_add(1, std::memory_order_relaxed);
                    std::this_thread::yield();
                    continue;  // a real sampler drops; here we retry so that the total is known
                }
                i++;
            }
        });
    }

    std::vector<uint64_t> next_expected(kProducers, 0);
    uint64_t received = 0;
    uint64_t out_of_order = 0;
    uint64_t wrong_size = 0;
    while (received < kProducers * kPerProducer) {
        auto* record = static_cast<const TestRecord*>(ring.peek());
        if (record == nullptr) {
            std::this_thread::yield();
            continue;
        }
        REQUIRE(intact(record));
        REQUIRE(record->producer < static_cast<uint64_t>(kProducers));
        // One producer's records arrive in the order it wrote them.
        if (record->sequence != next_expected[record->producer]) out_of_order++;
        if (record->count != 1 + (record->sequence * 7 + record->producer) % kMaxWords) wrong_size++;
        next_expected[record->producer] = record->sequence + 1;
        ring.release();
        received++;
    }
    for (auto& thread : producers) thread.join();
    CHECK(out_of_order == 0);
    CHECK(wrong_size == 0);
    for (int p = 0; p < kProducers; p++) CHECK(next_expected[p] == kPerProducer);
    CHECK(ring.peek() == nullptr);
    INFO("producers found the ring full " << full_count.load() << " times");
}
