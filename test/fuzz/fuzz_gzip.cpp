// Fuzz target: gzip_decompress. Whatever it accepts must stay within its limit and survive a round trip.
#include <string>
#include <string_view>

#include "native/analysis/gzip.h"
#include "test/fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    std::string inflated;
    hotframe::Status unzipped = hotframe::gzip_decompress(bytes, &inflated);
    if (!unzipped.is_ok()) {
        FUZZ_CHECK(!unzipped.message().empty() && unzipped.message().find('\n') == std::string::npos);
        return 0;
    }
    FUZZ_CHECK(inflated.size() <= hotframe::kMaxProfileBytes);
    std::string again;
    FUZZ_CHECK(hotframe::gzip_decompress(hotframe::gzip_compress(inflated), &again).is_ok());
    FUZZ_CHECK(again == inflated);
    return 0;
}
