// Signal-safe. Plain reads of HotSpot's memory for the vm walker (java_walk.h and the files it uses): no checks
// of their own, so every caller runs under the fault guard (fault_guard.h), which turns a bad read into a
// failed walk instead of a crashed JVM.
#pragma once

#include <stdint.h>

namespace hotframe {

namespace vm_memory {

constexpr uintptr_t kWord = sizeof(uintptr_t);

template <typename T>
T read(uintptr_t address) {
    return *reinterpret_cast<const T*>(address);
}

inline uintptr_t read_word(uintptr_t address) { return read<uintptr_t>(address); }

// A non-null, word-aligned pointer: the least a Method*, ConstMethod* or frame pointer must be.
inline bool aligned(uintptr_t address) { return address != 0 && (address & (kWord - 1)) == 0; }

}  // namespace vm_memory

}  // namespace hotframe
