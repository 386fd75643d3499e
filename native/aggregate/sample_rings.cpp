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
    size_t bytes = RingBuffer::bytes_needed(kRingBytes, record_bytes);
    void* memory[kRingCount] = {};
    for (uint32_t i = 0; i < kRingCount; i++) {
        // Zeroed, as init() wants; only the pages records reach are ever touched.
        memory[i] = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (memory[i] == MAP_FAILED) {
            for (uint32_t j = 0; j < i; j++) munmap(memory[j], bytes);
            return false;
        }
    }
    for (uint32_t i = 0; i < kRingCount; i++) rings_[i].init(memory[i], kRingBytes, record_bytes);
    return true;
}

// Not init() again: positions would start over where old commit marks lie (ring_buffer.h).
void SampleRings::reset() {
    for (uint32_t i = 0; i < kRingCount; i++) rings_[i].discard_pending();
}

}  // namespace hotframe
