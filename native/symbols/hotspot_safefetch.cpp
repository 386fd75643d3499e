#include "native/symbols/hotspot_safefetch.h"

#include <optional>
#include <vector>

#include "native/symbols/elf_file.h"
#include "native/symbols/elf_symbols.h"
#include "native/symbols/loaded_objects.h"

namespace hotframe {

namespace {

// The labels of HotSpot's static SafeFetch (safefetch_linux_x86_64.S since JDK-8283326 in JDK 19, backported
// to 17u): the probe's load, which may fault, and the continuation the signal handler resumes it at, which
// returns the caller's error value instead.
const std::vector<std::string> kNames = {"_SafeFetch32_fault", "_SafeFetchN_fault", "_SafeFetch32_continuation",
                                         "_SafeFetchN_continuation", "SafeFetch32_impl"};

// A probe is a load and a return, its continuation right after: one further than this from its fault is not
// what the names say.
constexpr uintptr_t kMaxProbeBytes = 16;

}  // namespace

bool find_hotspot_safefetch(HotSpotSafeFetch* out, std::string* why) {
    std::optional<LoadedObject> jvm = find_loaded_object("libjvm.so");
    if (!jvm || !loaded_file_is_current(*jvm)) {
        *why = "libjvm.so is not loaded from the file at its path";
        return false;
    }
    ElfFile file;
    if (Status opened = file.open(jvm->path); !opened.is_ok()) {
        *why = opened.message();
        return false;
    }
    std::vector<std::optional<uint64_t>> values = file.symbol_values(kNames);
    auto code_address = [&jvm](const std::optional<uint64_t>& value) -> uintptr_t {
        if (!value) return 0;
        uintptr_t address = jvm->bias + *value;
        return address >= jvm->code_low && address < jvm->code_high ? address : 0;
    };
    for (int probe = 0; probe < 2; probe++) {
        uintptr_t fault = code_address(values[probe]), continuation = code_address(values[2 + probe]);
        if (fault == 0 || continuation <= fault || continuation - fault > kMaxProbeBytes) {
            *why = "no " + kNames[probe] + " and " + kNames[2 + probe] + " in the code of " + jvm->path;
            return false;
        }
        out->fault_pcs[probe] = fault;
        out->continuation_pcs[probe] = continuation;
    }
    out->fetch32 = code_address(values[4]);
    return true;
}

}  // namespace hotframe
