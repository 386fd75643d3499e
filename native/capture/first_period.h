// Signal-safe. Per-thread CPU timers start each thread's first period at a random point of the interval (see
// CpuTimerEngine), so that a thread living less than one interval is still sampled with the right
// probability. For perf events the first, random period must be replaced by the real interval at the first
// overflow; this table, indexed by the event's file descriptor, says which events still need that.
#pragma once

#include <stdint.h>

namespace hotframe {

namespace first_period {

// Not signal-safe: called when arming, before the event can fire.
void mark_pending(int fd, uint64_t interval_ns);
void clear(int fd);

// Signal-safe. Returns the interval to switch to if the event `fd` is still in its first period, else 0.
uint64_t take_pending(int fd);

}  // namespace first_period

}  // namespace hotframe
