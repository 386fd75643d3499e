// Signal-safe. The record a signal handler writes into a ring: a header and up to `max_frames` AsyncGetCallTrace
// frames (room for that many is claimed; record_used_bytes() is what the ring keeps). Plain data only, so
// producers and the consumer need no constructors.
#pragma once

#include <jni.h>
#include <stddef.h>
#include <stdint.h>

namespace hotframe {

// How a Java frame ran, when the walk knows it: HotSpot's own structures say so (cstack=vm); AsyncGetCallTrace
// does not, so its frames are kFrameUnknown and the aggregator infers the kind (see CompiledMethods).
enum JavaFrameType : uint8_t {
    kFrameUnknown = 0,
    kFrameInterpreted = 1,
    kFrameC1 = 2,       // compiled by C1 (tiers 1-3)
    kFrameC2 = 3,       // compiled by C2 (tier 4)
    kFrameInlined = 4,  // inlined into the compiled frame below it
    kFrameNative = 5,   // a native method (bci -3)
    // A pseudo-frame (method null) of the vm walker: a virtual thread's outer frames are frozen in the heap
    // here (see at_return_barrier in java_walk.cpp); the frames below it are the continuation's entry and carrier.
    kFrameFrozenContinuation = 6,
};

// Layout of one frame as AsyncGetCallTrace fills it (ASGCT_CallFrame in HotSpot's forte.cpp): `bci` and `method`.
// `type` lives in the padding after `bci`, which AsyncGetCallTrace never writes (it stores the two fields only);
// a walk by AsyncGetCallTrace clears it. Native and kernel pcs stored in frame slots leave it alone.
struct AgctFrame {
    jint bci;      // the bytecode index; -3 for a native method's frame
    uint8_t type;  // JavaFrameType
    jmethodID method;
};
static_assert(sizeof(AgctFrame) == 16 && offsetof(AgctFrame, method) == 8, "ASGCT_CallFrame's layout");

// Why a sample has no Java frames. Negative values are AsyncGetCallTrace's own codes (num_frames <= 0);
// the positive ones are failures we detect around it.
enum SampleStatus : int32_t {
    kStatusOk = 1,
    kStatusNoJavaFrame = 0,
    kStatusNoClassLoad = -1,
    kStatusGcActive = -2,
    kStatusUnknownNotJava = -3,
    kStatusNotWalkableNotJava = -4,
    kStatusUnknownJava = -5,
    kStatusNotWalkableJava = -6,
    kStatusUnknownState = -7,
    kStatusThreadExit = -8,
    kStatusDeopt = -9,
    kStatusSafepoint = -10,
    kStatusFirstOwn = 100,
    kStatusNonJavaThread = 100,  // the thread has no JNIEnv: a GC worker, the VM thread, a native thread
    kStatusFault = 101,          // AsyncGetCallTrace faulted and the fault guard recovered
    kStatusNoAgct = 102,         // AsyncGetCallTrace was not found in the JVM
    kStatusVmWalkFault = 103,    // the vm walker (cstack=vm) faulted and the fault guard recovered
};

// Which of the session's profiles a record belongs to: the cpu (or itimer) signal, allocation and lock events,
// and the wall-clock signal, which has a signal of its own so that cpu and wall can run together.
enum EventSlot : uint8_t { kEventExecution = 0, kEventAlloc = 1, kEventLock = 2, kEventWall = 3 };
constexpr int kEventSlotCount = 4;

// What the kernel said a thread was doing when a wall-clock sample was taken (see the wall engine).
enum ThreadRunState : uint8_t { kRunStateUnknown = 0, kRunStateRunning = 1, kRunStateSleeping = 2, kRunStateDisk = 3 };

struct SampleHeader {
    int32_t tid;
    int32_t status;        // SampleStatus
    int32_t num_frames;    // valid frames following the header, 0..max_frames
    uint8_t truncated;     // kTruncated when the stack had more frames than max_frames, kJavaWalkBroken when
                           // cstack=vm found these frames and then could not find the next caller
    uint8_t event;         // EventSlot
    uint8_t thread_state;  // ThreadRunState, for wall-clock samples
    uint8_t native_end;    // NativeWalkEnd: how the native walk ended, when native_count > 0
    uint32_t leaf_class;   // ClassNames id of the allocated object's or the lock's class; 0 for none
    // Native pcs (AgctFrame::method holds the pc) after the num_frames Java frames, innermost first: the native
    // frames above the Java ones, or the whole native stack of a sample without Java frames (`status` still
    // says why there were none).
    uint16_t native_count;
    // Kernel addresses after the native pcs, innermost first: the pc the kernel was at, then return addresses
    // (named one byte back, as calls; see kernel_stack.h).
    uint8_t kernel_count;
    // CodeKind (code_kinds.h) from the vm walker: where a failed or broken walk stopped, or the stub or adapter
    // a successful one started in; kNone (0) otherwise and for AsyncGetCallTrace. Fills the padding byte here.
    uint8_t walk_code_kind;
    uint64_t weight;  // what this sample stands for: ns of CPU or wall time, bytes, ns waited
};

constexpr uint8_t kTruncated = 1;
constexpr uint8_t kJavaWalkBroken = 2;

inline AgctFrame* record_frames(SampleHeader* header) { return reinterpret_cast<AgctFrame*>(header + 1); }
inline const AgctFrame* record_frames(const SampleHeader* header) {
    return reinterpret_cast<const AgctFrame*>(header + 1);
}

constexpr unsigned record_size(unsigned max_frames) {
    return static_cast<unsigned>(sizeof(SampleHeader) + sizeof(AgctFrame) * max_frames);
}

// The bytes of a filled record that matter: its header and its Java, native and kernel frames. A producer
// commits this much of the room it claimed (ring_buffer.h).
inline unsigned record_used_bytes(const SampleHeader& header) {
    unsigned java = header.num_frames > 0 ? static_cast<unsigned>(header.num_frames) : 0;
    return record_size(java + header.native_count + header.kernel_count);
}

}  // namespace hotframe
