#include "native/output/output_file.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

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
