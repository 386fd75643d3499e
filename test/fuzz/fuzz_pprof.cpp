// Fuzz target: pprof protobuf, gzipped or not (read_pprof), then the report and diff of whatever it accepts.
#include <string_view>

#include "native/analysis/pprof.h"
#include "native/analysis/profile_file.h"
#include "test/fuzz/fuzz_target.h"
#include "test/fuzz/report_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    hotframe::LoadedProfile loaded;
    loaded.source = "pprof";
    loaded.weighted = true;  // as load_profile_file reads a pprof file
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    hotframe::Status read = hotframe::read_pprof(bytes, &loaded.profile);
    if (!read.is_ok()) {
        FUZZ_CHECK(!read.message().empty() && read.message().find('\n') == std::string::npos);
        return 0;
    }
    hotframe::check_accepted_profile(loaded);
    return 0;
}
