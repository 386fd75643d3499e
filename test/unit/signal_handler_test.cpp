#include "native/capture/signal_handler.h"

#include <signal.h>

#include <catch2/catch.hpp>

using namespace hotframe;

namespace {

void someone_elses_handler(int) {}

}  // namespace

TEST_CASE("a signal someone else handles is left alone; a free one becomes ours, once", "[signal_handler]") {
    struct sigaction saved_usr1, saved_alrm;
    REQUIRE(sigaction(SIGUSR1, nullptr, &saved_usr1) == 0);
    REQUIRE(sigaction(SIGALRM, nullptr, &saved_alrm) == 0);

    struct sigaction foreign {};
    foreign.sa_handler = someone_elses_handler;
    sigemptyset(&foreign.sa_mask);
    REQUIRE(sigaction(SIGUSR1, &foreign, nullptr) == 0);
    CHECK(capture::install_handler(SIGUSR1) == capture::InstallResult::kInUse);
    struct sigaction after {};
    REQUIRE(sigaction(SIGUSR1, nullptr, &after) == 0);
    CHECK(after.sa_handler == someone_elses_handler);  // not replaced

    signal(SIGALRM, SIG_DFL);
    CHECK(capture::install_handler(SIGALRM) == capture::InstallResult::kInstalled);
    CHECK(capture::install_handler(SIGALRM) == capture::InstallResult::kInstalled);  // ours already
    // Taken over by someone since: not taken back.
    REQUIRE(sigaction(SIGALRM, &foreign, nullptr) == 0);
    CHECK(capture::install_handler(SIGALRM) == capture::InstallResult::kInUse);

    sigaction(SIGUSR1, &saved_usr1, nullptr);
    sigaction(SIGALRM, &saved_alrm, nullptr);
}
