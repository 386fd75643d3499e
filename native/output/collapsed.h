// Collapsed ("folded") stacks: one line per stack, `root;...;leaf count`, the input format of flamegraph.pl,
// speedscope and most flame-graph tools.
#pragma once

#include <string>

#include "native/aggregate/profile.h"

namespace hotframe {

struct CollapsedOptions {
    bool weighted = false;  // write ProfileStack::weight instead of the sample count
    // A first line "# hotframe alloc profile: values are ..." saying what the numbers mean. flamegraph.pl and
    // speedscope skip lines that do not end in a number, which this one never does.
    bool header = false;
};

std::string render_collapsed(const Profile& profile, const CollapsedOptions& options);

}  // namespace hotframe
