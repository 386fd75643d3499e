// Off the signal path. Where HotSpot's SafeFetch probes fault on purpose and where they go on after the fault,
// from libjvm's symbol table. AsyncGetCallTrace tests whether a pointer can be read with SafeFetch32/SafeFetchN
// (a load that HotSpot's SIGSEGV handler resumes at the continuation when it faults); the fault guard must
// resume them the same way (fault_guard::add_resumable_fault) rather than take the fault for a broken walk.
#pragma once

#include <cstdint>
#include <string>

namespace hotframe {

struct HotSpotSafeFetch {
    uintptr_t fault_pcs[2];  // SafeFetch32's, SafeFetchN's
    uintptr_t continuation_pcs[2];
    // SafeFetch32 itself, `int (int* address, int error_value)`: only for the test hook that calls it on a bad
    // address inside a guarded walk (HOTFRAME_INJECT_FAULT_KIND=safefetch). 0 if not found.
    uintptr_t fetch32;
};

// The probes of the libjvm.so this process runs, or `why` says what was missing: the labels are local
// symbols, found only in a libjvm that keeps its .symtab (Debian's JDK 17 and Temurin 25 do; a fully stripped
// build does not).
bool find_hotspot_safefetch(HotSpotSafeFetch* out, std::string* why);

}  // namespace hotframe
