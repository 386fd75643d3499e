// Signal-safe: take_pending runs in the SIGPROF handler.
#include "native/capture/first_period.h"

#include <atomic>

namespace hotframe {

namespace first_period {

namespace {

// File descriptors of perf events are small integers; one beyond the table simply keeps its random first
// period for every period, which is still an unbiased sampler, only a noisier one.
constexpr int kTableSize = 1 << 16;
std::atomic<uint64_t> g_pending_interval[kTableSize];

}  // namespace

void mark_pending(int fd, uint64_t interval_ns) {
    if (fd >= 0 && fd < kTableSize) g_pending_interval[fd].store(interval_ns, std::memory_order_release);
}

void clear(int fd) {
    if (fd >= 0 && fd < kTableSize) g_pending_interval[fd].store(0, std::memory_order_release);
}

uint64_t take_pending(int fd) {
    if (fd < 0 || fd >= kTableSize) return 0;
    if (g_pending_interval[fd].load(std::memory_order_relaxed) == 0) return 0;
    return g_pending_interval[fd].exchange(0, std::memory_order_acq_rel);
}

}  // namespace first_period

}  // namespace hotframe
