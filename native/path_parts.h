// A path's directory and its last component, as the kernel resolves them: "." for a bare name, "/" for a name
// right under the root. Text only: nothing is looked up.
#pragma once

#include <string>

namespace hotframe {

inline std::string directory_of(const std::string& path) {
    size_t slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

inline std::string file_name_of(const std::string& path) {
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace hotframe
