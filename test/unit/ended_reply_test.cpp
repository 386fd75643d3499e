#include "agent/ended_reply.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "test/unit/scratch_directory.h"

using namespace hotframe;

namespace {

bool exists(const std::string& path) {
    struct stat info;
    return lstat(path.c_str(), &info) == 0;
}

}  // namespace

TEST_CASE("the session's end is told to the launcher: ok and each file, or the error", "[ended_reply]") {
    CHECK(ended_reply_text("the JVM is ending", "", {"/a/x-cpu.html", "/a/x-alloc.html"}) ==
          "ok\nprofiling stopped: the JVM is ending\nwrote /a/x-cpu.html\nwrote /a/x-alloc.html\n");
    // A session of several events whose second file failed: the first is still named.
    CHECK(ended_reply_text("the JVM is ending", "profile not written (the JVM is ending): disk full",
                           {"/a/x-cpu.html"}) ==
          "error: profile not written (the JVM is ending): disk full\nwrote /a/x-cpu.html\n");
}

TEST_CASE("REPLY.ended goes only into the launcher's private directory while it exists", "[ended_reply]") {
    // The launcher's reply directory: mktemp -d, mode 0700, this process's user.
    ScratchDirectory scratch;
    const std::string& directory = scratch.path();
    std::string error;

    CHECK(write_ended_reply(directory + "/reply", "ok\n", &error) == EndedReply::kWritten);
    CHECK(read_all(directory + "/reply.ended") == "ok\n");

    // Gone (the launcher exited and removed it): nothing is written, nothing made.
    std::string gone = directory + "/gone";
    CHECK(write_ended_reply(gone + "/reply", "ok\n", &error) == EndedReply::kNoLauncherDirectory);
    CHECK_FALSE(exists(gone));

    // Another directory at that name that others may write to: not the launcher's.
    std::string open_to_all = directory + "/open";
    REQUIRE(mkdir(open_to_all.c_str(), 0700) == 0);
    REQUIRE(chmod(open_to_all.c_str(), 01777) == 0);
    CHECK(write_ended_reply(open_to_all + "/reply", "ok\n", &error) == EndedReply::kNoLauncherDirectory);
    CHECK_FALSE(exists(open_to_all + "/reply.ended"));

    // Writable by its group: not the launcher's either.
    std::string group_writable = directory + "/group";
    REQUIRE(mkdir(group_writable.c_str(), 0700) == 0);
    REQUIRE(chmod(group_writable.c_str(), 0770) == 0);
    CHECK(write_ended_reply(group_writable + "/reply", "ok\n", &error) == EndedReply::kNoLauncherDirectory);
    CHECK_FALSE(exists(group_writable + "/reply.ended"));

    // Another user's directory (root profiling someone's JVM gives the directory to the JVM's user): only
    // root can make one to try.
    std::string others = directory + "/others";
    REQUIRE(mkdir(others.c_str(), 0700) == 0);
    if (geteuid() == 0) {
        REQUIRE(chown(others.c_str(), 65534, 65534) == 0);
        CHECK(write_ended_reply(others + "/reply", "ok\n", &error) == EndedReply::kNoLauncherDirectory);
        CHECK_FALSE(exists(others + "/reply.ended"));
    }

    // A link planted at the name, to a directory that would pass: never followed.
    std::string target = directory + "/target";
    std::string link = directory + "/link";
    REQUIRE(mkdir(target.c_str(), 0700) == 0);
    REQUIRE(symlink(target.c_str(), link.c_str()) == 0);
    CHECK(write_ended_reply(link + "/reply", "ok\n", &error) == EndedReply::kNoLauncherDirectory);
    CHECK_FALSE(exists(target + "/reply.ended"));

    // The launcher's directory, but the write itself fails (something not a regular file holds the name).
    std::string blocked = directory + "/blocked";
    REQUIRE(mkdir(blocked.c_str(), 0700) == 0);
    REQUIRE(mkdir((blocked + "/reply.ended").c_str(), 0700) == 0);
    CHECK(write_ended_reply(blocked + "/reply", "ok\n", &error) == EndedReply::kWriteFailed);
    CHECK_THAT(error, Catch::Contains("only a regular file is ever replaced"));

    for (const std::string& path : {blocked + "/reply.ended", blocked, link, target, others, group_writable,
                                    open_to_all, directory + "/reply.ended", directory}) {
        CHECK(remove(path.c_str()) == 0);
    }
}
