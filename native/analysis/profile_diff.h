// Differential profiles: what changed between BEFORE and AFTER. Both are normalised to shares of their own
// totals, so profiles of different lengths and sample counts compare. The merged profile holds every stack of
// either side, a stack only in BEFORE included (shrunk to zero in AFTER), so a removed hot path stays visible.
#pragma once

#include <string>

#include "native/aggregate/profile.h"
#include "native/analysis/profile_file.h"
#include "native/result.h"

namespace hotframe {

// Shares are stored as parts per billion of each side's total.
constexpr uint64_t kDiffScale = 1'000'000'000;

// The union of both profiles' stacks; each stack's `samples` is its share of AFTER and its `weight` its share
// of BEFORE, both in kDiffScale units. Fails when the profiles are of different events (cpu against alloc).
Status diff_profiles(const LoadedProfile& before, const LoadedProfile& after, Profile* merged);

// The per-stack difference for scripts: `stack before after` per line with each side's own values, the
// format flamegraph.pl reads as a differential profile, after a header naming both sides.
std::string render_diff_collapsed(const LoadedProfile& before, const LoadedProfile& after);

}  // namespace hotframe
