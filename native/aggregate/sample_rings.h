// The preallocated rings the signal handler writes to: allocated once per process with mmap and reused by
// every profiling session, so that repeated start/stop neither allocates in the handler nor grows the process.
#pragma once

#include <cstddef>
#include <cstdint>

#include "native/capture/ring_buffer.h"

namespace hotframe {

class SampleRings {
public:
    static constexpr uint32_t kRingCount = 4;     // threads pick a ring by tid, spreading producer contention
    static constexpr uint32_t kMaxFrames = 1024;  // deeper stacks are cut and marked [truncated]
    // Records are packed (ring_buffer.h): 4 MB holds about 16,000 samples of ten frames, or 430 of 600; but only
    // 250 records that could not be packed (SampleCounters::unpacked). Pages are touched as records reach them,
    // not at start.
    static constexpr size_t kRingBytes = size_t{4} << 20;

    // The process-wide rings, allocated on first use; nullptr if the memory could not be mapped.
    static SampleRings* instance();

    RingBuffer* rings() { return rings_; }
    uint32_t ring_count() const { return kRingCount; }
    size_t ring_bytes() const { return kRingBytes; }

    // Empties every ring: what was not read is dropped. Only while no handler can write (see
    // capture::stop_accepting_and_wait).
    void reset();

private:
    SampleRings() = default;
    bool allocate();

    RingBuffer rings_[kRingCount];
};

}  // namespace hotframe
