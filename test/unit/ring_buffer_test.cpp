#include "native/capture/ring_buffer.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <cstring>
#include <thread>
#include <vector>

using hotframe::RingBuffer;

namespace {

// A record whose words are all derived from (producer, sequence), so that a torn record is detectable.
constexpr uint32_t kWords = 32;
struct TestRecord {
    uint64_t words[kWords];
};

void fill(TestRecord* record, uint64_t producer, uint64_t sequence) {
    for (uint32_t i = 0; i < kWords; i++) record->words[i] = (producer << 40) ^ (sequence << 8) ^ i;
}

bool intact(const TestRecord* record, uint64_t* producer, uint64_t* sequence) {
    *producer = record->words[0] >> 40;
    *sequence = (record->words[0] >> 8) & ((1ull << 32) - 1);
    for (uint32_t i = 0; i < kWords; i++) {
        if (record->words[i] != ((*producer << 40) ^ (*sequence << 8) ^ i)) return false;
    }
    return true;
}

}  // namespace

TEST_CASE("a ring hands records back in order and reports full", "[ring]") {
    std::vector<char> memory(RingBuffer::bytes_needed(4, sizeof(TestRecord)));
    RingBuffer ring;
    ring.init(memory.data(), 4, sizeof(TestRecord));
    for (uint64_t i = 0; i < 4; i++) {
        uint64_t position = 0;
        auto* record = static_cast<TestRecord*>(ring.try_claim(&position));
        REQUIRE(record != nullptr);
        fill(record, 1, i);
        ring.commit(position);
    }
    uint64_t position = 0;
    CHECK(ring.try_claim(&position) == nullptr);
    for (uint64_t i = 0; i < 4; i++) {
        auto* record = static_cast<const TestRecord*>(ring.peek());
        REQUIRE(record != nullptr);
        uint64_t producer, sequence;
        REQUIRE(intact(record, &producer, &sequence));
        CHECK(sequence == i);
        ring.release();
    }
    CHECK(ring.peek() == nullptr);
    CHECK(ring.try_claim(&position) != nullptr);
}

TEST_CASE("a claimed but uncommitted record is not visible to the consumer", "[ring]") {
    std::vector<char> memory(RingBuffer::bytes_needed(2, sizeof(TestRecord)));
    RingBuffer ring;
    ring.init(memory.data(), 2, sizeof(TestRecord));
    uint64_t position = 0;
    REQUIRE(ring.try_claim(&position) != nullptr);
    CHECK(ring.peek() == nullptr);
    ring.commit(position);
    CHECK(ring.peek() != nullptr);
}

TEST_CASE("several producers under stress: nothing lost, nothing torn", "[ring][stress]") {
    constexpr uint32_t kCapacity = 64;  // small, so producers often find it full
    constexpr int kProducers = 4;
    constexpr uint64_t kPerProducer = 200'000;
    std::vector<char> memory(RingBuffer::bytes_needed(kCapacity, sizeof(TestRecord)));
    RingBuffer ring;
    ring.init(memory.data(), kCapacity, sizeof(TestRecord));

    std::atomic<uint64_t> full_count{0};
    std::vector<std::thread> producers;
    for (int p = 0; p < kProducers; p++) {
        producers.emplace_back([&, p] {
            for (uint64_t i = 0; i < kPerProducer;) {
                uint64_t position = 0;
                auto* record = static_cast<TestRecord*>(ring.try_claim(&position));
                if (record == nullptr) {
                    full_count.fetch_add(1, std::memory_order_relaxed);
                    std::this_thread::yield();
                    continue;  // a real sampler drops; here we retry so that the total is known
                }
                fill(record, static_cast<uint64_t>(p), i);
                ring.commit(position);
                i++;
            }
        });
    }

    std::vector<uint64_t> next_expected(kProducers, 0);
    uint64_t received = 0;
    uint64_t torn = 0;
    uint64_t out_of_order = 0;
    while (received < kProducers * kPerProducer) {
        auto* record = static_cast<const TestRecord*>(ring.peek());
        if (record == nullptr) {
            std::this_thread::yield();
            continue;
        }
        uint64_t producer, sequence;
        if (!intact(record, &producer, &sequence) || producer >= kProducers) {
            torn++;
        } else {
            // One producer's records arrive in the order it wrote them.
            if (sequence != next_expected[producer]) out_of_order++;
            next_expected[producer] = sequence + 1;
        }
        ring.release();
        received++;
    }
    for (auto& thread : producers) thread.join();
    CHECK(torn == 0);
    CHECK(out_of_order == 0);
    for (int p = 0; p < kProducers; p++) CHECK(next_expected[p] == kPerProducer);
    CHECK(ring.peek() == nullptr);
    INFO("producers found the ring full " << full_count.load() << " times");
}
