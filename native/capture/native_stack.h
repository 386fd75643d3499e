// Signal-safe. Walks the native stack of the interrupted thread by frame pointers, from the signal's context:
// the interrupted pc, then each frame's return address. HotSpot's libjvm is built with frame pointers, so GC,
// JIT compiler and VM threads walk through it; a function without one (much of libc) hides its own caller.
// Reads only memory the chain points to, with sanity bounds; call it under the fault guard.
#pragma once

#include <stdint.h>

namespace hotframe {

// Fills up to `max` pcs, innermost first; returns how many. The first is the interrupted pc, the others return
// addresses (one past the call).
int walk_frame_pointers(const void* ucontext, uintptr_t* pcs, int max);

}  // namespace hotframe
