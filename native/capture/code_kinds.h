// Signal-safe (constant data). The kinds of generated code the vm walker tells apart, each with the rule it
// walks by (frame_senders.h, stub_senders.h), and the fixed names a failed walk's pseudo-frame gives the kind it
// stopped in: "[unknown_Java: vtable/itable stub]". The names are string literals in one constant table, so the
// handler stores only the kind's number and the aggregator turns it into the name.
#pragma once

#include <stdint.h>

namespace hotframe {

enum class CodeKind : uint8_t {
    kNone = 0,             // the walk did not stop, or stopped for a reason that is not where it was
    kNotCode,              // a pc in no blob of the code cache, outside the interpreter and every library
    kNativeCode,           // a library's code (the JVM's runtime or JNI code) that the native walk could not leave
    kInterpreter,          // the template interpreter
    kCompiledMethod,       // an nmethod of a Java method (C1 or C2)
    kNativeWrapper,        // an nmethod of a native method: a JNI wrapper or a method handle intrinsic
    kStubRoutines,         // a StubRoutines buffer: arraycopy, crc32, math and other leaf stubs
    kCallStub,             // the call stub, where the VM enters Java (an entry frame)
    kAdapter,              // the I2C/C2I adapters between interpreted and compiled calling conventions
    kVtableStub,           // vtable and itable dispatch stubs ("vtable chunks")
    kMethodHandleAdapter,  // the interpreter's entries of method handle intrinsics ("MethodHandles adapters")
    kRuntimeStub,          // C1 and C2 runtime stubs and the shared resolve/ic-miss blobs (calls into the VM)
    kSafepointBlob,
    kDeoptimizationBlob,
    kUncommonTrapBlob,
    kExceptionBlob,
    kUpcallStub,  // a native-to-Java upcall (JDK 21+ foreign function API)
    kBufferBlob,  // any other buffer blob
    kCount,
};

// The name of each kind, indexed by its number; kNone's is empty.
constexpr const char* kCodeKindNames[] = {
    "",
    "no code",
    "native code",
    "interpreter",
    "compiled method",
    "native method wrapper",
    "StubRoutines stub",
    "call stub",
    "I2C/C2I adapter",
    "vtable/itable stub",
    "method handle adapter",
    "runtime stub",
    "safepoint blob",
    "deoptimization blob",
    "uncommon trap blob",
    "exception blob",
    "upcall stub",
    "buffer blob",
};
static_assert(sizeof(kCodeKindNames) / sizeof(kCodeKindNames[0]) == static_cast<unsigned>(CodeKind::kCount),
              "a name for every kind");

// The name of a kind number read from a record; "" for none or a number out of range.
inline const char* code_kind_name(uint8_t kind) {
    return kind < static_cast<unsigned>(CodeKind::kCount) ? kCodeKindNames[kind] : "";
}

}  // namespace hotframe
