// Text from a saved profile made safe to print: frame names are whatever the file says, and a name holding
// ESC[2J would clear the reader's screen (or worse: terminals also take escapes that set the title or paste).
#pragma once

#include <string>
#include <string_view>

namespace hotframe {

// `text` with every control byte (below 0x20, and DEL) written as \xHH, so that it shows instead of acting.
// Other bytes, UTF-8 included, pass unchanged.
inline std::string printable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && byte != 0x7f) {
            out.push_back(c);
            continue;
        }
        constexpr char kHex[] = "0123456789abcdef";
        out += "\\x";
        out.push_back(kHex[byte >> 4]);
        out.push_back(kHex[byte & 0xf]);
    }
    return out;
}

}  // namespace hotframe
