// include=/exclude= filters: a sample is kept when some frame name or its thread's name matches one of the
// include patterns (if any are given) and none matches an exclude pattern. Patterns are globs over the whole
// name with '*' for any run of characters, as in async-profiler: `http-nio-*`, `*.Pattern.compile`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hotframe {

bool glob_match(std::string_view pattern, std::string_view text);

class SampleFilter {
public:
    SampleFilter() = default;
    SampleFilter(std::vector<std::string> include, std::vector<std::string> exclude);

    bool active() const { return !include_.empty() || !exclude_.empty(); }
    bool has_include() const { return !include_.empty(); }

    // How one name relates to the patterns. A sample is kept when none of its names (frames and thread) is
    // excluded and, if there are include patterns, at least one is included. The caller caches this per name.
    struct NameMatch {
        bool included;
        bool excluded;
    };
    NameMatch match(std::string_view name) const;

private:
    std::vector<std::string> include_;
    std::vector<std::string> exclude_;
};

}  // namespace hotframe
