#include "native/output/output_paths.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <climits>
#include <cstdlib>
#include <fstream>
#include <string>

#include "test/unit/scratch_directory.h"

using namespace hotframe;

namespace {

bool exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

void touch(const std::string& path) { std::ofstream(path) << "x"; }

std::string stamp_of(std::time_t when) {
    std::tm local{};
    localtime_r(&when, &local);
    char stamp[32];
    std::strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &local);
    return stamp;
}

}  // namespace

TEST_CASE("file patterns expand %p, %t and %%, and leave %e and unknown codes", "[output_paths]") {
    std::time_t when = 1'700'000'000;
    CHECK(expand_file_pattern("cpu-%p-%t.html", 4242, when) == "cpu-4242-" + stamp_of(when) + ".html");
    CHECK(expand_file_pattern("100%%-%x-%", 1, when) == "100%-%x-%");
    CHECK(expand_file_pattern("%e.html", 1, when) == "%e.html");
}

TEST_CASE("extensions: double extensions count whole, dots in directories do not", "[output_paths]") {
    CHECK(extension_start("out.pb.gz") == 3);
    CHECK(extension_start("out.flat.txt") == 3);
    CHECK(extension_start("out.flat.json") == 3);
    CHECK(extension_start("out.html") == 3);
    CHECK(extension_start("dir.d/out") == 9);
    CHECK(extension_start("out") == 3);
    // A name that is only a double extension has no stem: the last dot starts the extension.
    CHECK(extension_start(".pb.gz") == 3);
}

TEST_CASE("%e and -EVENT name each event's file", "[output_paths]") {
    CHECK(pattern_for_event("p-%e.html", "cpu", 1) == "p-cpu.html");
    CHECK(pattern_for_event("%e/%e.html", "alloc", 2) == "alloc/alloc.html");
    // One event: the name is the user's.
    CHECK(pattern_for_event("p.html", "cpu", 1) == "p.html");
    // Several events without %e: -EVENT before the extension, a double extension kept whole.
    CHECK(pattern_for_event("p.html", "lock", 3) == "p-lock.html");
    CHECK(pattern_for_event("p.pb.gz", "alloc", 2) == "p-alloc.pb.gz");
    CHECK(pattern_for_event("dir.d/p", "cpu", 2) == "dir.d/p-cpu");
}

TEST_CASE("dir= names a default file inside the directory; file= wins", "[output_paths]") {
    CHECK(choose_pattern("x.html", "", default_profile_name("html")) == "x.html");
    CHECK(choose_pattern("", "/var/prof", default_profile_name("html")) == "/var/prof/hotframe-%p-%t.html");
    CHECK(choose_pattern("", "/var/prof/", default_thread_dump_name(false)) == "/var/prof/threads-%p-%t.txt");
    CHECK(choose_pattern("", "", default_memory_name(true)) == "memory-%p.jsonl");
    CHECK(default_thread_dump_name(true) == "threads-%p-%t.json");
    CHECK(default_memory_name(false) == "memory-%p-%t.txt");
    CHECK(default_thread_sampling_name() == "hotframe-sample-%p-%t.txt");
}

TEST_CASE("a %t name that exists gets -2, -3 before its extension; without %t the name is reused", "[output_paths]") {
    ScratchDirectory directory;
    std::time_t when = std::time(nullptr);
    std::string pattern = directory.file("p-%t.pb.gz");
    std::string first = next_output_path(pattern, when);
    CHECK(first == directory.file("p-" + stamp_of(when) + ".pb.gz"));
    touch(first);
    std::string second = next_output_path(pattern, when);
    CHECK(second == directory.file("p-" + stamp_of(when) + "-2.pb.gz"));
    touch(second);
    CHECK(next_output_path(pattern, when) == directory.file("p-" + stamp_of(when) + "-3.pb.gz"));

    std::string fixed = directory.file("series.jsonl");
    touch(fixed);
    CHECK(next_output_path(fixed, when) == fixed);
}

TEST_CASE("keep= removes the oldest files and never the newest", "[output_paths]") {
    ScratchDirectory directory;
    FileRotation rotation(2);
    for (const char* name : {"a", "b", "c"}) {
        touch(directory.file(name));
        rotation.add(directory.file(name));
    }
    CHECK_FALSE(exists(directory.file("a")));
    CHECK(exists(directory.file("b")));
    CHECK(exists(directory.file("c")));
    CHECK(rotation.newest() == directory.file("c"));

    // The same name written again (a pattern without %t) is one file, not two: keep=1 must not delete it.
    FileRotation one(1);
    touch(directory.file("same"));
    one.add(directory.file("same"));
    one.add(directory.file("same"));
    CHECK(exists(directory.file("same")));
    CHECK(one.size() == 1);

    // keep=0 keeps everything.
    FileRotation all(0);
    for (const char* name : {"d", "e", "f"}) {
        touch(directory.file(name));
        all.add(directory.file(name));
    }
    CHECK(all.size() == 3);
    CHECK(exists(directory.file("d")));
}

TEST_CASE("the writability check names the directory and the reason", "[output_paths]") {
    ScratchDirectory directory;
    CHECK(check_output_directory(directory.file("out.html")).is_ok());
    CHECK(check_output_pattern(directory.file("out-%p-%t-%e.html")).is_ok());

    Status missing = check_output_directory(directory.file("no/such/out.html"));
    CHECK_FALSE(missing.is_ok());
    CHECK_THAT(missing.message(), Catch::Contains(directory.file("no/such")) && Catch::Contains("not usable"));

    touch(directory.file("plain"));
    Status not_directory = check_output_directory(directory.file("plain/out.html"));
    CHECK_FALSE(not_directory.is_ok());
    CHECK_THAT(not_directory.message(), Catch::Contains("is not a directory"));

    // A path that can never be written is refused when it is given: a directory, a name ending in '/', '.',
    // a name too long once the temporary suffix is added, and anything that is not a regular file.
    for (const std::string& never :
         {directory.path(), directory.path() + "/", directory.file("."), directory.file(".."),
          directory.file(std::string(NAME_MAX - kNameReserve + 1, 'n')), std::string("profiles/")}) {
        Status refused = check_output_file(never);
        INFO(never);
        CHECK_FALSE(refused.is_ok());
        CHECK(refused.message().find('\n') == std::string::npos);
    }
    CHECK(check_output_file(directory.file(std::string(NAME_MAX - kNameReserve, 'n'))).is_ok());
    // %e is counted at its longest: the pattern is refused if any event's name would be too long.
    CHECK_FALSE(check_output_pattern(directory.file(std::string(NAME_MAX - kNameReserve - 3, 'n') + "%e")).is_ok());
    REQUIRE(mkfifo(directory.file("fifo").c_str(), 0600) == 0);
    CHECK_THAT(check_output_file(directory.file("fifo")).message(), Catch::Contains("FIFO"));
    // The pattern check looks at the very name one event writes, not only at the "-EVENT" names.
    CHECK_THAT(check_output_pattern(directory.file("fifo")).message(), Catch::Contains("FIFO"));
    CHECK_THAT(check_output_pattern(directory.path()).message(), Catch::Contains("directory"));
    REQUIRE(unlink(directory.file("fifo").c_str()) == 0);

    // The probe file it creates to find out is gone again.
    CHECK(std::system(("test -z \"$(ls -A '" + directory.path() + "' | grep -v '^plain$')\"").c_str()) == 0);
}
