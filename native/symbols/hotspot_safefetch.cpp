#include "native/symbols/hotspot_safefetch.h"

#include <cstring>
#include <vector>

#include "native/symbols/elf_symbols.h"

namespace hotframe {

namespace {

// The labels of HotSpot's static SafeFetch (safefetch_linux_x86_64.S since JDK-8283326 in JDK 19, backported
// to 17u in 2023, jdk17u-dev pull request 1557; earlier 17 updates have no such labels and keep the old
// behaviour): the probe's load, which may fault, and the continuation the signal handler resumes it at, which
// returns the caller's error value instead.
const std::vector<std::string> kNames = {"_SafeFetch32_fault", "_SafeFetchN_fault", "_SafeFetch32_continuation",
                                         "_SafeFetchN_continuation", "SafeFetch32_impl"};

// The code each fault label must mark (safefetch_linux_x86_64.S): `mov (%rdi), %eax; ret` for SafeFetch32,
// `mov (%rdi), %rax; ret` for SafeFetchN, the continuation right after the `ret`. Checked in this process's own
// mapping of libjvm before the fault guard is told to move a faulting thread's pc to the continuation: a resume
// anywhere else would be worse than a lost sample.
struct ProbeCode {
    uint8_t bytes[4];
    size_t length;
};
constexpr ProbeCode kProbeCode[2] = {{{0x8B, 0x07, 0xC3}, 3}, {{0x48, 0x8B, 0x07, 0xC3}, 4}};

bool probe_code_at(uintptr_t fault, const ProbeCode& code) {
    return std::memcmp(reinterpret_cast<const void*>(fault), code.bytes, code.length) == 0;
}

}  // namespace

bool find_hotspot_safefetch(HotSpotSafeFetch* out, std::string* why) {
    std::vector<uintptr_t> found = find_code_in_loaded_object("libjvm.so", kNames, why);
    if (found.empty()) return false;
    for (int probe = 0; probe < 2; probe++) {
        uintptr_t fault = found[probe], continuation = found[2 + probe];
        if (fault == 0 || continuation == 0) {
            *why = "no " + kNames[probe] + " and " + kNames[2 + probe] + " in the code of libjvm.so";
            return false;
        }
        // The continuation lies in the code, so the bytes before it, from the fault label, do too.
        const ProbeCode& code = kProbeCode[probe];
        if (continuation != fault + code.length || !probe_code_at(fault, code)) {
            *why = kNames[probe] + " in libjvm.so does not mark the load it names";
            return false;
        }
        out->fault_pcs[probe] = fault;
        out->continuation_pcs[probe] = continuation;
    }
    out->fetch32 = found[4];
    return true;
}

}  // namespace hotframe
