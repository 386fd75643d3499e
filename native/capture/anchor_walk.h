// Signal-safe. The vm walker (java_walk.h) for producers that are not signal handlers: the JVMTI allocation and
// lock callbacks and the park wrapper, which run on the thread the sample is about while it is in the VM or in
// native code. Such a thread has set its last-Java-frame anchor, so the walk starts there, as the handler's does
// for a thread in the VM. Under the fault guard, bounded like every walk; used in place of JVMTI GetStackTrace
// when the session runs the vm walker, because it costs a fraction of it (see docs/PERFORMANCE.md).
#pragma once

#include <sys/types.h>

#include "native/capture/sample_record.h"
#include "native/capture/stack_capture.h"

namespace hotframe {

// Why the walk from the anchor gave no usable stack; the caller then asks JVMTI.
enum class AnchorWalkOutcome : uint8_t {
    kWalked,         // `count` frames, every one with its jmethodID
    kWalkerOff,      // the session walks with AsyncGetCallTrace (cstack=dwarf|fp|no, or the self-check said no)
    kNotJavaThread,  // HotSpot has not set up this thread
    kFault,          // the fault guard caught a fault, or had no slot
    kFailed,         // no frames, or the walk stopped short of the outermost frame
    kMissingId,      // a method without a jmethodID yet (JVMTI makes it, so the next sample walks)
    kVirtualThread,  // a mounted virtual thread: JVMTI gives its own frames, the walker the carrier's too
};

struct AnchorWalk {
    AnchorWalkOutcome outcome;
    int count;
    bool truncated;  // the stack had more than `max` frames
};

// Walks the current thread's Java frames from its anchor into `frames` (at most `max`), with `context`'s layout.
AnchorWalk walk_current_thread(const StackCaptureContext& context, pid_t tid, AgctFrame* frames, int max);

}  // namespace hotframe
