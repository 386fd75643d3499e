#include "native/output/output_file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include "test/unit/scratch_directory.h"

using namespace hotframe;

TEST_CASE("files are written whole, and failures say why and leave nothing behind", "[output_file]") {
    char directory_template[] = "/tmp/hotframe-test-XXXXXX";
    REQUIRE(mkdtemp(directory_template) != nullptr);
    std::string directory = directory_template;
    std::string path = directory + "/out.txt";

    REQUIRE(write_file_atomically(path, "first").is_ok());
    REQUIRE(write_file_atomically(path, "second version").is_ok());
    std::ifstream in(path);
    std::stringstream content;
    content << in.rdbuf();
    CHECK(content.str() == "second version");

    Status missing = write_file_atomically(directory + "/no/such/dir/out.txt", "x");
    CHECK_FALSE(missing.is_ok());
    CHECK_THAT(missing.message(), Catch::Contains("No such file or directory"));

    {
        // A full disk, simulated by a file-size limit: the write fails part-way (EFBIG instead of ENOSPC), the
        // error says so, the earlier version of the file is intact and no temporary file is left.
        struct rlimit saved;
        REQUIRE(getrlimit(RLIMIT_FSIZE, &saved) == 0);
        struct rlimit small = saved;
        small.rlim_cur = 4096;
        signal(SIGXFSZ, SIG_IGN);
        REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
        Status full = write_file_atomically(path, std::string(100000, 'x'));
        REQUIRE(setrlimit(RLIMIT_FSIZE, &saved) == 0);
        signal(SIGXFSZ, SIG_DFL);
        CHECK_FALSE(full.is_ok());
        CHECK_THAT(full.message(), Catch::Contains("write"));
        std::ifstream again(path);
        std::stringstream kept;
        kept << again.rdbuf();
        CHECK(kept.str() == "second version");
    }
    CHECK(unlink(path.c_str()) == 0);
    CHECK(rmdir(directory.c_str()) == 0);  // no temporary file was left behind
}

namespace {

mode_t file_type(const std::string& path) {
    struct stat info;
    REQUIRE(lstat(path.c_str(), &info) == 0);
    return info.st_mode & S_IFMT;
}

// Only the temporary files of a failed write would be left: none may be.
bool only_these_in(const ScratchDirectory& scratch, std::initializer_list<const char*> names) {
    std::string list = "ls -A '" + scratch.path() + "' | grep -v -x";
    for (const char* name : names) list += std::string(" -e '") + name + "'";
    return std::system((list + " >/dev/null").c_str()) != 0;
}

}  // namespace

TEST_CASE("only a regular file is ever replaced: devices, FIFOs, links and directories are refused", "[output_file]") {
    ScratchDirectory scratch;
    std::string fifo = scratch.file("fifo");
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    std::ofstream(scratch.file("target")) << "the link's target";
    REQUIRE(symlink(scratch.file("target").c_str(), scratch.file("link").c_str()) == 0);
    REQUIRE(mkdir(scratch.file("directory").c_str(), 0700) == 0);
    bool have_device = mknod(scratch.file("null").c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0;
    if (!have_device) WARN("not allowed to create a device node here (needs CAP_MKNOD): the device case is not run");

    struct Case {
        const char* name;
        const char* says;
        mode_t type;
    };
    std::vector<Case> cases = {
        {"fifo", "a FIFO", S_IFIFO}, {"link", "a symbolic link", S_IFLNK}, {"directory", "a directory", S_IFDIR}};
    if (have_device) cases.push_back({"null", "a character device", S_IFCHR});
    for (const Case& target : cases) {
        INFO(target.name);
        Status written = write_file_atomically(scratch.file(target.name), "profile");
        CHECK_FALSE(written.is_ok());
        CHECK_THAT(written.message(), Catch::Contains(target.says) && Catch::Contains("only a regular file"));
        CHECK(file_type(scratch.file(target.name)) == target.type);

        int fd = -1;
        Status appended = open_for_append(scratch.file(target.name), &fd);
        CHECK_FALSE(appended.is_ok());
        CHECK(fd == -1);
        CHECK(file_type(scratch.file(target.name)) == target.type);
    }
    CHECK(read_all(scratch.file("target")) == "the link's target");
    CHECK(only_these_in(scratch, {"fifo", "target", "link", "directory", "null"}));
}

TEST_CASE("a FIFO with a reader does not block an append, and is refused", "[output_file]") {
    ScratchDirectory scratch;
    std::string fifo = scratch.file("series.jsonl");
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    // A reader that never reads: a blocking open or write would hang here for ever.
    int reader = open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
    REQUIRE(reader >= 0);
    Status appended = append_line(fifo, "{}\n");
    close(reader);
    CHECK_FALSE(appended.is_ok());
    CHECK_THAT(appended.message(), Catch::Contains("FIFO"));
}

TEST_CASE("new files get 0666 less the umask; a regular file is replaced or appended to", "[output_file]") {
    ScratchDirectory scratch;
    mode_t saved = umask(077);
    Status written = write_file_atomically(scratch.file("private.html"), "x");
    Status appended = append_line(scratch.file("private.jsonl"), "{}\n");
    umask(022);
    Status shared = write_file_atomically(scratch.file("shared.html"), "x");
    umask(saved);
    REQUIRE(written.is_ok());
    REQUIRE(appended.is_ok());
    REQUIRE(shared.is_ok());
    struct stat info;
    REQUIRE(stat(scratch.file("private.html").c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    REQUIRE(stat(scratch.file("private.jsonl").c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    REQUIRE(stat(scratch.file("shared.html").c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0644);

    REQUIRE(write_file_atomically(scratch.file("private.html"), "second").is_ok());
    CHECK(read_all(scratch.file("private.html")) == "second");
    REQUIRE(append_line(scratch.file("private.jsonl"), "{\"b\":1}\n").is_ok());
    CHECK(read_all(scratch.file("private.jsonl")) == "{}\n{\"b\":1}\n");
}
