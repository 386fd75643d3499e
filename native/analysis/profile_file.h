// Reading saved profiles for the offline tools (report, diff): hotframe's collapsed files (with the header that
// says what the values are), any other profiler's collapsed stacks, and pprof files (gzipped or not).
#pragma once

#include <string>
#include <string_view>

#include "native/aggregate/profile.h"
#include "native/result.h"

namespace hotframe {

struct LoadedProfile {
    Profile profile;
    // Whether a stack's value is its weight (bytes, ns) rather than its sample count. For a collapsed file the
    // value is both ProfileStack::samples and ::weight; `weighted` says which it means.
    bool weighted = false;
    // "collapsed" or "pprof" for a file read here; "live" for the running agent's own profile (the flat output).
    std::string source;

    uint64_t value_of(const ProfileStack& stack) const { return weighted ? stack.weight : stack.samples; }
    // The sum of value_of over the stacks; the readers refuse profiles whose sum overflows, so only a profile
    // built by hand can make it wrap: checked_total says so instead.
    uint64_t total() const;
    Status checked_total(uint64_t* total) const;
    // In words: "samples", "nanoseconds of CPU time", "estimated bytes allocated".
    std::string meaning() const;
};

// Collapsed text: `frame;frame;... count` lines, `#` comments. Suffixes _[j], _[i], _[k] set frame kinds.
Status parse_collapsed(std::string_view text, LoadedProfile* out);

// A file of either kind, told apart by its content. Errors are one line and name the file. Files, and what is
// built from them, are bounded by the limits of input_limits.h.
Status load_profile_file(const std::string& path, LoadedProfile* out);

}  // namespace hotframe
