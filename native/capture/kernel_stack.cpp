// Signal-safe: take_kernel_frames runs in the SIGPROF handler.
#include "native/capture/kernel_stack.h"

#include <linux/perf_event.h>

#include <atomic>

namespace hotframe {

namespace kernel_stack {

namespace {

// Indexed by file descriptor, like first_period's table; events beyond it simply get no kernel frames.
constexpr int kTableSize = 1 << 16;

struct Ring {
    std::atomic<perf_event_mmap_page*> page;
    size_t data_size;  // a power of two
};

Ring g_rings[kTableSize];

// A u64 at `offset` into the ring, which wraps at its end.
uint64_t ring_word(const uint8_t* data, size_t data_size, uint64_t offset) {
    uint64_t value = 0;
    auto* bytes = reinterpret_cast<uint8_t*>(&value);
    for (size_t i = 0; i < sizeof(value); i++) bytes[i] = data[(offset + i) & (data_size - 1)];
    return value;
}

}  // namespace

void register_ring(int fd, void* mapping, size_t data_size) {
    if (fd < 0 || fd >= kTableSize) return;
    g_rings[fd].data_size = data_size;
    g_rings[fd].page.store(static_cast<perf_event_mmap_page*>(mapping), std::memory_order_release);
}

void unregister_ring(int fd) {
    if (fd >= 0 && fd < kTableSize) g_rings[fd].page.store(nullptr, std::memory_order_release);
}

bool has_ring(int fd) { return fd >= 0 && fd < kTableSize && g_rings[fd].page.load(std::memory_order_acquire); }

int take_kernel_frames(int fd, uintptr_t* ips, int max) {
    if (fd < 0 || fd >= kTableSize) return 0;
    perf_event_mmap_page* page = g_rings[fd].page.load(std::memory_order_acquire);
    if (page == nullptr) return 0;
    const size_t data_size = g_rings[fd].data_size;
    const uint8_t* data = reinterpret_cast<const uint8_t*>(page) + (page->data_offset != 0 ? page->data_offset : 4096);
    uint64_t head = __atomic_load_n(&page->data_head, __ATOMIC_ACQUIRE);
    uint64_t tail = page->data_tail;
    // The last record between tail and head, if it is a sample: the one of the overflow that sent this
    // signal. Older ones were left unread (no handler ran for them); if the last is anything else (a record of
    // samples the kernel lost because the ring was full), this overflow's call chain is not there.
    uint64_t newest = UINT64_MAX;
    if (head < tail || head - tail > data_size) tail = head;  // not a state the kernel leaves: read nothing
    for (uint64_t offset = tail; offset + sizeof(perf_event_header) <= head;) {
        uint64_t word = ring_word(data, data_size, offset);
        auto type = static_cast<uint32_t>(word);
        auto size = static_cast<uint16_t>(word >> 48);
        if (size < sizeof(perf_event_header) || size > data_size) {
            newest = UINT64_MAX;  // damaged: give up on this ring's contents
            break;
        }
        newest = offset + size == head && type == PERF_RECORD_SAMPLE ? offset : UINT64_MAX;
        offset += size;
    }
    int count = 0;
    if (newest != UINT64_MAX) {
        uint64_t entries = ring_word(data, data_size, newest + sizeof(perf_event_header));
        if (entries > static_cast<uint64_t>(kMaxKernelFrames) + 8) entries = 0;
        for (uint64_t i = 0; i < entries && count < max; i++) {
            uint64_t ip = ring_word(data, data_size, newest + sizeof(perf_event_header) + 8 * (i + 1));
            if (ip >= static_cast<uint64_t>(PERF_CONTEXT_MAX)) continue;  // PERF_CONTEXT_KERNEL and other markers
            ips[count++] = static_cast<uintptr_t>(ip);
        }
    }
    __atomic_store_n(&page->data_tail, head, __ATOMIC_RELEASE);
    return count;
}

void discard(int fd) {
    if (fd < 0 || fd >= kTableSize) return;
    perf_event_mmap_page* page = g_rings[fd].page.load(std::memory_order_acquire);
    if (page == nullptr) return;
    __atomic_store_n(&page->data_tail, __atomic_load_n(&page->data_head, __ATOMIC_ACQUIRE), __ATOMIC_RELEASE);
}

}  // namespace kernel_stack

}  // namespace hotframe
