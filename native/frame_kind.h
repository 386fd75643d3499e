// What produced a frame, shared by the code that names frames (native/symbols, native/aggregate) and the code
// that draws them (native/output), which colours by it. Kept apart from the profile model so that the symbols
// library does not depend on aggregation.
#pragma once

#include <cstdint>

namespace hotframe {

// kPseudo marks frames we made up to explain a sample (an AsyncGetCallTrace failure such as [GC_active], a
// thread-name root, [truncated]).
enum class FrameKind : uint8_t { kInterpreted, kJitCompiled, kInlined, kNative, kCpp, kKernel, kPseudo };

// "interpreted", "jit", ...: the name writers and readers of saved profiles use.
const char* frame_kind_name(FrameKind kind);

}  // namespace hotframe
