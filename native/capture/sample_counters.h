// Signal-safe. Counters the SIGPROF handler bumps: samples taken, dropped on a full ring, and per outcome of
// the stack walk, so that no failed sample disappears without a trace. Relaxed atomics: they are statistics.
#pragma once

#include <stdint.h>

#include <atomic>

#include "native/capture/sample_record.h"

namespace hotframe {

// Statuses laid out densely: 0 ok, 1..11 AsyncGetCallTrace codes 0..-10, then our own.
constexpr int kStatusSlotCount = 1 + 11 + 3;

constexpr int status_slot(int32_t status) {
    if (status == kStatusOk) return 0;
    if (status <= 0 && status >= kStatusSafepoint) return 1 - status;
    if (status >= kStatusFirstOwn && status <= kStatusNoAgct) return 12 + (status - kStatusFirstOwn);
    return 1 - kStatusUnknownState;
}

constexpr int32_t status_of_slot(int slot) {
    if (slot == 0) return kStatusOk;
    if (slot <= 11) return 1 - slot;
    return kStatusFirstOwn + (slot - 12);
}

struct SampleCounters {
    std::atomic<uint64_t> signals{0};  // handler entries while sampling was on
    std::atomic<uint64_t> dropped{0};  // ring full
    std::atomic<uint64_t> by_status[kStatusSlotCount]{};

    void reset() {
        signals.store(0, std::memory_order_relaxed);
        dropped.store(0, std::memory_order_relaxed);
        for (auto& count : by_status) count.store(0, std::memory_order_relaxed);
    }
};

}  // namespace hotframe
