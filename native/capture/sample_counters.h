// Signal-safe. Counters the SIGPROF handler bumps: samples taken, dropped on a full ring, and per outcome of
// the stack walk, so that no failed sample disappears without a trace. Relaxed atomics: they are statistics.
#pragma once

#include <stdint.h>

#include <atomic>
#include <initializer_list>

#include "native/capture/sample_record.h"

namespace hotframe {

// Statuses laid out densely: 0 ok, 1..11 AsyncGetCallTrace codes 0..-10, then our own.
constexpr int kStatusSlotCount = 1 + 11 + 4;

constexpr int status_slot(int32_t status) {
    if (status == kStatusOk) return 0;
    if (status <= 0 && status >= kStatusSafepoint) return 1 - status;
    if (status >= kStatusFirstOwn && status <= kStatusVmWalkFault) return 12 + (status - kStatusFirstOwn);
    return 1 - kStatusUnknownState;
}

constexpr int32_t status_of_slot(int slot) {
    if (slot == 0) return kStatusOk;
    if (slot <= 11) return 1 - slot;
    return kStatusFirstOwn + (slot - 12);
}

// cstack=vm,vmcheck: each sample walked both ways, counted where AsyncGetCallTrace found Java frames.
struct VmCheckCounters {
    std::atomic<uint64_t> compared{0};      // AsyncGetCallTrace walked the sample
    std::atomic<uint64_t> same_methods{0};  // the vm walk found the same methods, in the same order
    std::atomic<uint64_t> same_bcis{0};     // ... and the same bcis
    std::atomic<uint64_t> vm_failed{0};     // the vm walk found no frames
    std::atomic<uint64_t> vm_only{0};       // AsyncGetCallTrace failed, the vm walk found frames

    // The last disagreement, for the log: up to kShown frames of each walk, innermost first. Written by whichever
    // handler wins `writing`; read at stop, when no handler runs.
    static constexpr int kShown = 12;
    std::atomic<bool> writing{false};
    struct Walk {
        int32_t status;
        int32_t count;
        uint8_t truncated;
        uint8_t stop;  // JavaWalkStop, for the vm walk
        uintptr_t stop_pc;
        uintptr_t start_pc;
        bool anchored;
        int32_t bcis[kShown];
        uint8_t types[kShown];
        const void* methods[kShown];
    };
    Walk agct{};
    Walk vm{};
    // Every vm walk that stopped short, by where (JavaWalkStop), and the last pc of each.
    static constexpr int kStopKinds = 16;
    std::atomic<uint64_t> stops[kStopKinds]{};
    uintptr_t stop_pcs[kStopKinds]{};
    // vm walks that faulted; of the last one, where it faulted (the instruction and the address it touched) and
    // where it began (the interrupted pc). The three are written by one handler after another: read at stop.
    std::atomic<uint64_t> vm_faults{0};
    std::atomic<uintptr_t> fault_pc{0};
    std::atomic<uintptr_t> fault_address{0};
    std::atomic<uintptr_t> fault_start_pc{0};

    // Between sessions only, when no handler runs.
    void reset() {
        for (auto* counter : {&compared, &same_methods, &same_bcis, &vm_failed, &vm_only}) {
            counter->store(0, std::memory_order_relaxed);
        }
        agct = Walk{};
        vm = Walk{};
        for (auto& stop : stops) stop.store(0, std::memory_order_relaxed);
        for (auto& pc : stop_pcs) pc = 0;
        vm_faults.store(0, std::memory_order_relaxed);
        for (auto* pc : {&fault_pc, &fault_address, &fault_start_pc}) pc->store(0, std::memory_order_relaxed);
    }
};

struct SampleCounters {
    std::atomic<uint64_t> signals{0};  // handler entries while sampling was on
    std::atomic<uint64_t> dropped{0};  // ring full
    // Records that kept the room of the deepest stack: another producer claimed in the same ring before they
    // were committed (ring_buffer.h). Many of them make a ring hold fewer records.
    std::atomic<uint64_t> unpacked{0};
    std::atomic<uint64_t> by_status[kStatusSlotCount]{};
    VmCheckCounters vm_check;

    void reset() {
        vm_check.reset();
        signals.store(0, std::memory_order_relaxed);
        dropped.store(0, std::memory_order_relaxed);
        unpacked.store(0, std::memory_order_relaxed);
        for (auto& count : by_status) count.store(0, std::memory_order_relaxed);
    }
};

}  // namespace hotframe
