// JSON string literals for the JSON writers.
#pragma once

#include <string>

namespace hotframe {

// `text` as a JSON string literal, quotes included: quotes, backslashes and control characters escaped.
std::string json_string(const std::string& text);

}  // namespace hotframe
