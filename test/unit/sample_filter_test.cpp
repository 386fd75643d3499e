#include "native/aggregate/sample_filter.h"

#include <catch2/catch.hpp>

using namespace hotframe;

TEST_CASE("globs match whole names with * for any run", "[filter]") {
    CHECK(glob_match("http-nio-*", "http-nio-8080-exec-1"));
    CHECK_FALSE(glob_match("http-nio-*", "my-http-nio-8080"));
    CHECK(glob_match("*.Pattern.compile", "java.util.regex.Pattern.compile"));
    CHECK(glob_match("*regex*", "java.util.regex.Pattern.compile"));
    CHECK(glob_match("*", ""));
    CHECK(glob_match("a*b*c", "aXXbYYc"));
    CHECK_FALSE(glob_match("a*b*c", "aXXbYY"));
    CHECK(glob_match("exact", "exact"));
    CHECK_FALSE(glob_match("exact", "exact2"));
}

TEST_CASE("a name is included or excluded by the first matching pattern of each list", "[filter]") {
    SampleFilter filter({"http-*", "*.handle"}, {"*idle*"});
    CHECK(filter.active());
    CHECK(filter.has_include());
    CHECK(filter.match("http-1").included);
    CHECK_FALSE(filter.match("http-1").excluded);
    CHECK(filter.match("app.Server.handle").included);
    CHECK(filter.match("http-idle").excluded);
    CHECK_FALSE(filter.match("batch").included);
    CHECK_FALSE(SampleFilter().active());
}
