// The preallocated rings the signal handler writes to: allocated once per process with mmap and reused by
// every profiling session, so that repeated start/stop neither allocates in the handler nor grows the process.
#pragma once

#include <cstdint>

#include "native/capture/ring_buffer.h"

namespace hotframe {

class SampleRings {
public:
    static constexpr uint32_t kRingCount = 4;         // threads pick a ring by tid, spreading producer contention
    static constexpr uint32_t kRecordsPerRing = 512;  // drained every 1-10 ms (sooner when busy)
    static constexpr uint32_t kMaxFrames = 1024;      // deeper stacks are cut and marked [truncated]

    // The process-wide rings, allocated on first use; nullptr if the memory could not be mapped.
    static SampleRings* instance();

    RingBuffer* rings() { return rings_; }
    uint32_t ring_count() const { return kRingCount; }
    uint32_t records_per_ring() const { return kRecordsPerRing; }

    // Empties every ring. Only while no handler can write (see capture::stop_accepting_and_wait).
    void reset();

private:
    SampleRings() = default;
    bool allocate();

    RingBuffer rings_[kRingCount];
    void* memory_[kRingCount] = {};
};

}  // namespace hotframe
