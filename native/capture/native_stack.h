// Signal-safe. Walks the native stack of the interrupted thread from the signal's context: the interrupted pc,
// then each frame's return address. Two ways to find a caller: frame pointers (HotSpot's libjvm keeps them, so
// GC, JIT compiler and VM threads walk through it; a function without one hides its own caller), or the
// library's DWARF rules where they have been built (see unwind_table.h), which also walk through code compiled
// without frame pointers, such as most of libc and zlib. Reads only memory the chain points to, with sanity
// bounds; call it under the fault guard.
#pragma once

#include <stdint.h>

namespace hotframe {

enum class UnwindMethod : uint8_t { kFramePointers, kDwarf };

// Why a walk ended. Stored in SampleHeader::native_end.
enum NativeWalkEnd : uint8_t {
    kWalkReachedJava = 0,  // the next caller is code the JVM generated: the Java frames continue from there
    kWalkOutermost = 1,    // the thread's first frame
    kWalkBroken = 2,       // a frame could not be unwound: callers are missing
    kWalkFull = 3,         // no room for more frames
    kWalkFault = 4,        // the walk faulted and the fault guard recovered (set by the caller)
};

struct NativeWalk {
    int count;
    NativeWalkEnd end;
};

// A frame's registers as the walk knows them: where it runs, its stack pointer, its frame pointer.
struct FrameRegisters {
    uintptr_t pc;
    uintptr_t sp;
    uintptr_t fp;
};

// The pc the signal interrupted.
uintptr_t interrupted_pc(const void* ucontext);

// The pc, sp and fp the signal interrupted.
FrameRegisters interrupted_registers(const void* ucontext);

// The rbx the signal interrupted (HotSpot's interpreter keeps a method entry's Method* there).
uintptr_t interrupted_method_register(const void* ucontext);

// Fills up to `max` pcs, innermost first. With `stop_at_generated_code` (the thread has Java frames) the walk
// takes only the native frames above them: it records nothing when the interrupted pc is itself in generated
// code, and stops at the first caller that is. When it stops there (kWalkReachedJava) and `java_frame` is
// given, that caller's registers go there, for the Java walk to continue from.
NativeWalk walk_native_stack(const void* ucontext, UnwindMethod method, bool stop_at_generated_code, uintptr_t* pcs,
                             int max, FrameRegisters* java_frame = nullptr);

}  // namespace hotframe
