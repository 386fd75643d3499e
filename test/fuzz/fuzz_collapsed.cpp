// Fuzz target: collapsed text (parse_collapsed), then the report and diff of whatever it accepts.
#include <string_view>

#include "native/analysis/profile_file.h"
#include "test/fuzz/fuzz_target.h"
#include "test/fuzz/report_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    hotframe::LoadedProfile loaded;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    hotframe::Status parsed = hotframe::parse_collapsed(text, &loaded);
    if (!parsed.is_ok()) {
        // The tool prints the reason as one line: it must be one, and say something.
        FUZZ_CHECK(!parsed.message().empty() && parsed.message().find('\n') == std::string::npos);
        return 0;
    }
    hotframe::check_accepted_profile(loaded);
    return 0;
}
