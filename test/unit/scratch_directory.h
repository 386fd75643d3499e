// Test support for the file-writing tests: a private directory for one test, removed with everything in it even
// when a REQUIRE ends the test early, and a file's whole content.
#pragma once

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

namespace hotframe {

class ScratchDirectory {
public:
    // In `parent`: /tmp unless a test needs another file system (one that may run code: /tmp can be noexec).
    explicit ScratchDirectory(const std::string& parent = "/tmp") {
        std::string name = parent + "/hotframe-test-XXXXXX";
        REQUIRE(mkdtemp(name.data()) != nullptr);
        path_ = name;
    }
    ~ScratchDirectory() { std::system(("rm -rf '" + path_ + "'").c_str()); }
    ScratchDirectory(const ScratchDirectory&) = delete;
    ScratchDirectory& operator=(const ScratchDirectory&) = delete;

    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

inline std::string read_all(const std::string& path) {
    std::ifstream in(path);
    std::stringstream content;
    content << in.rdbuf();
    return content.str();
}

}  // namespace hotframe
