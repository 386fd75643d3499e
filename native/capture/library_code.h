// Signal-safe (lookups). Where the machine code of loaded ELF objects lies, for the native stack walk: a pc
// inside one is C/C++ code; a pc outside all of them is code the JVM generated (interpreter, stubs, compiled
// Java), which is where a walk up from native code reaches the Java frames that AsyncGetCallTrace reports.
//
// The table is append-only with a single writer (off the signal path, see native/symbols/library_scan.h): an
// entry is filled before the count that makes it visible is released, and never changes afterwards except for
// its unwind table, published once through an atomic pointer, and its `live` flag, cleared when the object is
// unloaded. A library loaded later at the same addresses gets a new entry (and its own unwind table) once a scan
// has seen the old one gone; lookups go newest first and skip unloaded ones. Entries are identified by their
// address range only: an object unloaded and another loaded at exactly the same range between two scans keeps
// the old entry and its unwind table (rare; the walk stays under the fault guard). Entries are never reused, so
// a handler reading one is never misled by a half-written one.
#pragma once

#include <stdint.h>

#include <atomic>

#include "native/capture/unwind_table.h"

namespace hotframe {

namespace library_code {

struct Library {
    uintptr_t low;  // lowest and highest address of its executable segments, in this process
    uintptr_t high;
    std::atomic<const UnwindTable*> unwind;  // DWARF rules for its code, once built; null until then
    std::atomic<bool> live;                  // false once the object was unloaded
};

constexpr uint32_t kMaxLibraries = 1024;

// Signal-safe. How many libraries are known; entries below it can be read with at().
uint32_t count();
Library* at(uint32_t index);

// Not signal-safe in spirit (one writer only). Appends a library unless a live one with the same range is
// known; returns its entry, or nullptr when the table is full.
Library* add(uintptr_t low, uintptr_t high);

// One writer only. Marks every live library as unloaded unless `still_loaded(low, high)` says otherwise.
template <typename StillLoaded>
void retire_unloaded(StillLoaded still_loaded) {
    for (uint32_t i = 0; i < count(); i++) {
        Library* library = at(i);
        if (library->live.load(std::memory_order_relaxed) && !still_loaded(library->low, library->high)) {
            library->live.store(false, std::memory_order_release);
        }
    }
}

// Signal-safe. The library holding `pc`, or nullptr for generated code and anything unknown.
const Library* find(uintptr_t pc);

}  // namespace library_code

}  // namespace hotframe
