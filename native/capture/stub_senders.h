// Signal-safe. The caller of a frame in a stub, adapter or runtime blob, one rule per kind of blob (CodeKind):
// none of them is a Java frame of its own, but a sample taken in one must keep the Java frames below it. Each
// rule says how that kind of code is entered and whether it builds a frame, as HotSpot's x86-64 generators
// write it. Reads VM memory: call under the fault guard.
#pragma once

#include <stdint.h>

#include "native/capture/code_kinds.h"
#include "native/capture/frame_senders.h"
#include "native/capture/vm_layout.h"

namespace hotframe {

// Replaces `frame` (in `blob`, of `kind`) by its caller and returns true, or returns false when the rule of that
// kind finds none. `top`: the frame's pc is the interrupted instruction rather than a return address.
bool stub_sender(const VmLayout& layout, const StackRange& stack, Frame& frame, uintptr_t blob, CodeKind kind,
                 bool top);

}  // namespace hotframe
