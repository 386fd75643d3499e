// Signal-safe (take). Kernel frames of a cpu sample: with the `kernel` option each thread's perf event records
// the kernel part of its call chain (PERF_SAMPLE_CALLCHAIN, user part excluded) into a small ring buffer mapped
// from the event's file descriptor; the SIGPROF handler that the same overflow triggers reads the newest record
// from it. Registration happens off the signal path, before the event is enabled.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hotframe {

namespace kernel_stack {

// Most kernel frames kept per sample (also what the event is asked to record).
constexpr int kMaxKernelFrames = 64;

// Not signal-safe. `mapping` is the event's mmap: a metadata page followed by `data_size` bytes of ring.
void register_ring(int fd, void* mapping, size_t data_size);
void unregister_ring(int fd);
bool has_ring(int fd);

// Signal-safe. Copies the kernel return addresses of the newest sample in the ring of `fd`, innermost first, and
// marks the ring as read. Returns how many (0 without a ring or a sample).
int take_kernel_frames(int fd, uintptr_t* ips, int max);

// Signal-safe. Marks the ring of `fd` as read without looking at it (a sample dropped on a full buffer), so
// that the next overflow's record is the newest one and not an older one's.
void discard(int fd);

}  // namespace kernel_stack

}  // namespace hotframe
