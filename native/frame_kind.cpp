#include "native/frame_kind.h"

namespace hotframe {

const char* frame_kind_name(FrameKind kind) {
    switch (kind) {
        case FrameKind::kInterpreted:
            return "interpreted";
        case FrameKind::kJitCompiled:
            return "jit";
        case FrameKind::kInlined:
            return "inlined";
        case FrameKind::kNative:
            return "native";
        case FrameKind::kCpp:
            return "cpp";
        case FrameKind::kKernel:
            return "kernel";
        case FrameKind::kPseudo:
            return "pseudo";
    }
    return "pseudo";
}

}  // namespace hotframe
