// What must hold for any profile a reader accepted, shared by the collapsed and pprof fuzz targets: the
// report renders, its shares are within 0..100%, its text holds no control byte but its own newlines, and
// the JSON holds none at all.
#pragma once

#include <string>

#include "native/analysis/flat_report.h"
#include "native/analysis/profile_diff.h"
#include "test/fuzz/fuzz_target.h"

namespace hotframe {

inline void check_accepted_profile(const LoadedProfile& loaded) {
    uint64_t total = 0;
    if (!loaded.checked_total(&total).is_ok() || total == 0) return;  // load_profile_file refuses these
    for (bool lines : {false, true}) {                                // by method, and report --lines
        FlatReport report = make_flat_report(loaded, 20, lines);
        for (const auto* entries : {&report.by_self, &report.by_total, &report.stacks}) {
            for (const FlatEntry& entry : *entries) FUZZ_CHECK(entry.share >= 0 && entry.share <= 1.0);
        }
        for (char c : render_flat_text(report)) {
            auto byte = static_cast<unsigned char>(c);
            FUZZ_CHECK(c == '\n' || (byte >= 0x20 && byte != 0x7f));
        }
        for (char c : render_flat_json(report)) {
            auto byte = static_cast<unsigned char>(c);
            FUZZ_CHECK(c == '\n' || (byte >= 0x20 && byte != 0x7f));
        }
    }
    // The profile against itself: every share the same on both sides, and no undefined conversion.
    Profile merged;
    FUZZ_CHECK(diff_profiles(loaded, loaded, &merged).is_ok());
    for (const ProfileStack& stack : merged.stacks) {
        FUZZ_CHECK(stack.samples == stack.weight && stack.samples <= kDiffScale);
    }
}

}  // namespace hotframe
