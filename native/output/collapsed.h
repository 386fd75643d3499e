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
    // `ann`: mark frame kinds with the suffixes flamegraph.pl's java palette colours by: "_[j]" for Java
    // (interpreted or JIT-compiled), "_[i]" for inlined Java, "_[k]" for kernel; C/C++ and pseudo-frames
    // stay bare. The interpreted/compiled distinction is kept only in the HTML.
    bool annotate = false;
};

std::string render_collapsed(const Profile& profile, const CollapsedOptions& options);

}  // namespace hotframe
