// gzip compression and decompression of whole buffers (zlib), for pprof files.
#pragma once

#include <string>
#include <string_view>

#include "native/result.h"

namespace hotframe {

std::string gzip_compress(std::string_view data);

// Fails with a one-line reason on data that is not gzip, or is truncated or corrupt.
Status gzip_decompress(std::string_view data, std::string* out);

bool looks_gzipped(std::string_view data);

}  // namespace hotframe
