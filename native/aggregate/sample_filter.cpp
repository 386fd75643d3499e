#include "native/aggregate/sample_filter.h"

#include <utility>

namespace hotframe {

bool glob_match(std::string_view pattern, std::string_view text) {
    // Iterative matching with backtracking to the last '*': linear for the patterns people write.
    size_t p = 0, t = 0;
    size_t star = std::string_view::npos, star_text = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            star_text = t;
        } else if (p < pattern.size() && pattern[p] == text[t]) {
            p++;
            t++;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++star_text;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') p++;
    return p == pattern.size();
}

SampleFilter::SampleFilter(std::vector<std::string> include, std::vector<std::string> exclude)
    : include_(std::move(include)), exclude_(std::move(exclude)) {}

SampleFilter::NameMatch SampleFilter::match(std::string_view name) const {
    NameMatch result{false, false};
    for (const std::string& pattern : include_) {
        if (glob_match(pattern, name)) {
            result.included = true;
            break;
        }
    }
    for (const std::string& pattern : exclude_) {
        if (glob_match(pattern, name)) {
            result.excluded = true;
            break;
        }
    }
    return result;
}

}  // namespace hotframe
