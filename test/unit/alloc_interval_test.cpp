#include <catch2/catch.hpp>

#include "native/engines/alloc_engine.h"

using namespace hotframe;

namespace {
constexpr uint64_t kMin = 512 * 1024;
constexpr uint64_t kMax = uint64_t{1} << 30;
}  // namespace

TEST_CASE("the diagnosis's allocation interval brings 5 GB/s down to the wanted samples a second", "[diagnosis]") {
    // 10,000 samples in a second at 512 KiB: about 5 GiB/s; at 200 a second that is one per 25.6 MiB.
    uint64_t next = rate_bounded_interval(kMin, 10'000, 1.0, 200, kMin, kMax);
    CHECK(next == 10'000 * kMin / 200);
    // At the new interval the same rate gives the wanted count, and the interval stays put.
    CHECK(rate_bounded_interval(next, 200, 1.0, 200, kMin, kMax) == next);
    // Early: a second's budget spent in 100 ms.
    CHECK(rate_bounded_interval(kMin, 1'000, 0.1, 200, kMin, kMax) == next);
}

TEST_CASE("the diagnosis's allocation interval never goes below a plain session's nor above its bound", "[diagnosis]") {
    // 100 samples a second at 512 KiB: 50 MiB/s, fewer samples than wanted, so the finest interval is kept.
    CHECK(rate_bounded_interval(kMin, 100, 1.0, 200, kMin, kMax) == kMin);
    CHECK(rate_bounded_interval(kMax, 1'000'000, 1.0, 200, kMin, kMax) == kMax);
}

TEST_CASE("the diagnosis's allocation interval comes down when allocation stops", "[diagnosis]") {
    // No sample at 64 MiB: the rate may have fallen to anything below one sample a second, so halve.
    CHECK(rate_bounded_interval(64 << 20, 0, 1.0, 200, kMin, kMax) == 32 << 20);
    CHECK(rate_bounded_interval(kMin, 0, 1.0, 200, kMin, kMax) == kMin);
}
