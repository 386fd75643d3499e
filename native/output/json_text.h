// JSON string literals for the JSON writers.
#pragma once

#include <string>

namespace hotframe {

// `text` as a JSON string literal, quotes included: quotes, backslashes, control characters and DEL
// escaped, so that the JSON is valid and safe to print to a terminal.
std::string json_string(const std::string& text);

}  // namespace hotframe
