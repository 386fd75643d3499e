#include "native/aggregate/sample_rings.h"

#include <sys/mman.h>

#include <mutex>

#include "native/capture/sample_record.h"

namespace hotframe {

SampleRings* SampleRings::instance() {
    static SampleRings* rings = nullptr;
    static std::once_flag once;
    std::call_once(once, [] {
        auto* candidate = new SampleRings();
        if (candidate->allocate()) {
            rings = candidate;
        } else {
            delete candidate;
        }
    });
    return rings;
}

bool SampleRings::allocate() {
    uint32_t record_bytes = record_size(kMaxFrames);
    size_t bytes = RingBuffer::bytes_needed(kRecordsPerRing, record_bytes);
    for (uint32_t i = 0; i < kRingCount; i++) {
        void* memory = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (memory == MAP_FAILED) return false;
        memory_[i] = memory;
        rings_[i].init(memory, kRecordsPerRing, record_bytes);
    }
    return true;
}

void SampleRings::reset() {
    for (uint32_t i = 0; i < kRingCount; i++) rings_[i].init(memory_[i], kRecordsPerRing, record_size(kMaxFrames));
}

}  // namespace hotframe
