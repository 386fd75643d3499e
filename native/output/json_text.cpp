#include "native/output/json_text.h"

#include <cstdio>

namespace hotframe {

std::string json_string(const std::string& text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(static_cast<char>(c));
        } else if (c < 0x20 || c == 0x7f) {  // DEL is legal raw in JSON, but not for a terminal to receive
            char escaped[8];
            std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
            out.append(escaped);
        } else {
            out.push_back(static_cast<char>(c));
        }
    }
    return out + "\"";
}

}  // namespace hotframe
