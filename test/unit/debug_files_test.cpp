// Separate debug files: stripped copies of the debug probe library (test/unit/debug_probe_support.cpp) with their
// symbols moved into debug files in each place the reader looks, as test/make_debug_layouts.sh lays them out.
#include "native/symbols/debug_files.h"

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "native/symbols/elf_symbols.h"
#include "native/symbols/native_symbols.h"
#include "native/symbols/symbol_aliases.h"
#include "test/unit/scratch_directory.h"

using namespace hotframe;

namespace {

const std::string kLayouts = HOTFRAME_DEBUG_PROBE_DIR;

// One stripped copy, loaded for the test's duration.
class LoadedProbe {
public:
    explicit LoadedProbe(const std::string& directory)
        : path_(kLayouts + "/" + directory + "/libhotframe_debug_probe.so"),
          handle_(dlopen(path_.c_str(), RTLD_NOW | RTLD_LOCAL)) {}
    ~LoadedProbe() {
        if (handle_ != nullptr) dlclose(handle_);
    }
    LoadedProbe(const LoadedProbe&) = delete;
    LoadedProbe& operator=(const LoadedProbe&) = delete;

    bool loaded() const { return handle_ != nullptr; }
    const std::string& path() const { return path_; }
    // The pc of a function only the debug file names, from one of the exported functions that stay in .dynsym.
    uintptr_t address_of(const char* accessor) const {
        auto function = reinterpret_cast<void* (*)()>(dlsym(handle_, accessor));
        return function == nullptr ? 0 : reinterpret_cast<uintptr_t>(function());
    }

private:
    std::string path_;
    void* handle_;
};

// What a sample inside the probe's static function is named, with debug files under `root`.
std::string name_of_static_function(const std::string& directory, bool debug_files, const std::string& root) {
    LoadedProbe probe(directory);
    REQUIRE(probe.loaded());
    uintptr_t pc = probe.address_of("hotframe_debug_probe_static_address");
    REQUIRE(pc != 0);
    NativeSymbols symbols;
    symbols.set_debug_files(debug_files, root);
    return symbols.resolve(pc + 1, false).name;
}

const std::string kEmptyRoot = kLayouts + "/root-empty";

// The library of the layout in `directory`, opened into `object`, and the debuglink it carries.
DebugLink open_with_link(const std::string& directory, ElfFile& object) {
    REQUIRE(object.open(kLayouts + "/" + directory + "/libhotframe_debug_probe.so").is_ok());
    std::optional<DebugLink> link = object.debug_link();
    REQUIRE(link);
    return *link;
}

}  // namespace

TEST_CASE("the stripped probe names its static function only by library and offset", "[debug_files]") {
    CHECK(read_elf_function_symbols(kLayouts + "/stripped.so").size() == 3);  // the exported accessors
    CHECK_THAT(name_of_static_function("beside", false, kEmptyRoot),
               Catch::StartsWith("libhotframe_debug_probe.so+0x"));
}

TEST_CASE("debug files are found by build id and by each debuglink location", "[debug_files]") {
    struct Case {
        const char* directory;
        std::string root;
        DebugFile::FoundBy found_by;
    };
    const Case cases[] = {
        {"buildid", kLayouts + "/root-buildid", DebugFile::FoundBy::kBuildId},
        {"beside", kEmptyRoot, DebugFile::FoundBy::kDebugLink},
        {"subdir", kEmptyRoot, DebugFile::FoundBy::kDebugLink},
        {"global", kLayouts + "/root-global", DebugFile::FoundBy::kDebugLink},
    };
    for (const Case& c : cases) {
        INFO(c.directory);
        std::string object_path = kLayouts + "/" + c.directory + "/libhotframe_debug_probe.so";
        ElfFile object;
        REQUIRE(object.open(object_path).is_ok());
        DebugFile found = find_debug_file(object, object_path, c.root);
        CHECK(found.found_by == c.found_by);
        CHECK_FALSE(found.path.empty());
        CHECK(name_of_static_function(c.directory, true, c.root) == "hotframe_debug_probe_static");
    }
    // Without the right root the build-id copy has nothing to go by.
    CHECK_THAT(name_of_static_function("buildid", true, kEmptyRoot),
               Catch::StartsWith("libhotframe_debug_probe.so+0x"));
}

TEST_CASE("a debug file whose CRC differs from the debuglink's is not used", "[debug_files]") {
    ElfFile object;
    DebugLink link = open_with_link("badcrc", object);
    CHECK(link.file_name == "probe.debug");
    CHECK(file_crc32(kLayouts + "/beside/probe.debug") == link.crc32);
    CHECK(file_crc32(kLayouts + "/badcrc/probe.debug") != link.crc32);
    CHECK(find_debug_file(object, kLayouts + "/badcrc/libhotframe_debug_probe.so", kEmptyRoot).path.empty());
    CHECK_THAT(name_of_static_function("badcrc", true, kEmptyRoot), Catch::StartsWith("libhotframe_debug_probe.so+0x"));
}

TEST_CASE("a debug file that a user other than root or ours could have written is not used", "[debug_files]") {
    // Writable by every user (test/make_debug_layouts.sh): the right file (its CRC matches) is still refused.
    ElfFile object;
    DebugLink link = open_with_link("writable", object);
    CHECK(file_crc32(kLayouts + "/writable/probe.debug") == link.crc32);
    DebugFile found = find_debug_file(object, kLayouts + "/writable/libhotframe_debug_probe.so", kEmptyRoot);
    CHECK(found.path.empty());
    CHECK_THAT(found.refused, Catch::Contains("writable/probe.debug") && Catch::Contains("writable by every user"));
    CHECK_THAT(name_of_static_function("writable", true, kEmptyRoot),
               Catch::StartsWith("libhotframe_debug_probe.so+0x"));
}

TEST_CASE("who can have put a debug file in place: its owner, its group, its directory, a link", "[debug_files]") {
    // The library and its debug file copied into a directory of the test's own, then changed one way each.
    ScratchDirectory scratch;
    std::string library = scratch.file("libhotframe_debug_probe.so"), debug = scratch.file("probe.debug");
    REQUIRE(std::system(("cp '" + kLayouts + "/beside/libhotframe_debug_probe.so' '" + kLayouts +
                         "/beside/probe.debug' '" + scratch.path() + "'")
                            .c_str()) == 0);
    REQUIRE(chmod(debug.c_str(), 0644) == 0);  // whatever the umask made of the copy
    ElfFile object;
    REQUIRE(object.open(library).is_ok());
    auto found = [&] { return find_debug_file(object, library, kEmptyRoot); };
    REQUIRE(found().path == debug);

    SECTION("writable by its group, whichever group (it may have other members; an ACL shows there too)") {
        REQUIRE(chmod(debug.c_str(), 0664) == 0);
        DebugFile refused = found();
        CHECK(refused.path.empty());
        CHECK_THAT(refused.refused, Catch::Contains("writable by its group"));
    }
    SECTION("owned by another user (only root can give a file away)") {
        if (geteuid() != 0) {
            WARN("not checked: giving a file to another user takes root");
            return;
        }
        REQUIRE(chown(debug.c_str(), 65534, 65534) == 0);
        DebugFile refused = found();
        CHECK(refused.path.empty());
        CHECK_THAT(refused.refused, Catch::Contains("owned by a user other than"));
    }
    SECTION("in a directory every user can write to: not even opened") {
        REQUIRE(chmod(scratch.path().c_str(), 0777) == 0);
        DebugFile refused = found();
        CHECK(refused.path.empty());
        CHECK_THAT(refused.refused, Catch::Contains("its directory is writable by every user"));
        // A FIFO there would block whoever opens it: the look returns, having opened nothing.
        REQUIRE(std::remove(debug.c_str()) == 0);
        REQUIRE(mkfifo(debug.c_str(), 0644) == 0);
        CHECK_THAT(found().refused, Catch::Contains("its directory"));
    }
    SECTION("in a sticky directory every user can write to (/tmp): our own file is read, a link is not") {
        REQUIRE(chmod(scratch.path().c_str(), 01777) == 0);
        CHECK(found().path == debug);
        REQUIRE(std::rename(debug.c_str(), scratch.file("real.debug").c_str()) == 0);
        REQUIRE(symlink("real.debug", debug.c_str()) == 0);
        DebugFile refused = found();
        CHECK(refused.path.empty());
        CHECK_THAT(refused.refused, Catch::Contains("a link"));
        // The same link in a directory nobody else can write to was made by root or us: followed.
        REQUIRE(chmod(scratch.path().c_str(), 0755) == 0);
        CHECK(found().path == debug);
    }
}

TEST_CASE("debuginfo off: names only from the library's own tables", "[debug_files]") {
    CHECK_THAT(name_of_static_function("buildid", false, kLayouts + "/root-buildid"),
               Catch::StartsWith("libhotframe_debug_probe.so+0x"));
    // Switching on later names it; switching off again forgets the debug file's names.
    LoadedProbe probe("beside");
    REQUIRE(probe.loaded());
    uintptr_t pc = probe.address_of("hotframe_debug_probe_static_address");
    NativeSymbols symbols;
    symbols.set_debug_files(true, kEmptyRoot);
    CHECK(symbols.resolve(pc, false).name == "hotframe_debug_probe_static");
    CHECK(symbols.objects_named_by_debug_files() == std::vector<std::string>{"libhotframe_debug_probe.so"});
    symbols.set_debug_files(false, kEmptyRoot);
    CHECK_THAT(symbols.resolve(pc, false).name, Catch::StartsWith("libhotframe_debug_probe.so+0x"));
    CHECK(symbols.objects_named_by_debug_files().empty());
}

TEST_CASE("the build id is read from the note the linker wrote", "[debug_files]") {
    ElfFile object;
    REQUIRE(object.open(kLayouts + "/stripped.so").is_ok());
    std::string id = object.build_id();
    std::string digits;
    for (unsigned char byte : id) {
        static constexpr char kHex[] = "0123456789abcdef";
        digits += kHex[byte >> 4];
        digits += kHex[byte & 0xf];
    }
    CHECK(digits == HOTFRAME_DEBUG_PROBE_BUILD_ID);
}

TEST_CASE("debug files name C++ functions and choose one of several names", "[debug_files]") {
    LoadedProbe probe("beside");
    REQUIRE(probe.loaded());
    NativeSymbols symbols;
    symbols.set_debug_files(true, kEmptyRoot);
    NativeSymbols::Resolved method = symbols.resolve(probe.address_of("hotframe_debug_probe_method_address"), false);
    CHECK(method.name == "hotframe_debug_probe::(anonymous namespace)::Worker::run(char const*, unsigned int) const");
    CHECK(method.kind == FrameKind::kCpp);
    // Two local names, as libc's clone3 and __clone3: the one without leading underscores.
    CHECK(symbols.resolve(probe.address_of("hotframe_debug_probe_alias_address"), false).name ==
          "hotframe_debug_probe_alias");
}

TEST_CASE("of several names for one address, one is chosen by a fixed rule", "[debug_files]") {
    FunctionTable symbols;
    symbols.add("__GI___clock_gettime", 0x100, 106, false);
    symbols.add("__clock_gettime", 0x100, 106, true);
    symbols.add("clock_gettime", 0x100, 106, true);
    symbols.add("__clone3", 0x200, 71, false);
    symbols.add("clone3", 0x200, 71, false);
    symbols.add("start_thread", 0x300, 0, false);
    symbols.add("start_thread_alias", 0x300, 1166, false);
    symbols.add("b_name", 0x400, 8, true);
    symbols.add("a_name", 0x400, 8, true);
    keep_one_name_per_address(symbols);
    REQUIRE(symbols.size() == 4);
    const std::vector<FunctionEntry>& kept = symbols.entries();
    CHECK(symbols.name(kept[0]) == "clock_gettime");  // global before local, then fewest leading underscores
    CHECK(symbols.name(kept[1]) == "clone3");         // both local: fewest leading underscores
    CHECK(symbols.name(kept[2]) == "start_thread");   // then the shortest, with the largest size any alias gives
    CHECK(kept[2].size == 1166);
    CHECK(symbols.name(kept[3]) == "a_name");  // then byte order
    // The same whatever order the tables came in.
    FunctionTable reversed;
    reversed.add("clone3", 0x200, 71, false);
    reversed.add("__clone3", 0x200, 71, false);
    keep_one_name_per_address(reversed);
    CHECK(reversed.name(reversed.entries().front()) == "clone3");
}
