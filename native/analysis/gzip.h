// gzip compression and decompression of whole buffers (zlib), for pprof files.
#pragma once

#include <string>
#include <string_view>

#include "native/analysis/input_limits.h"
#include "native/result.h"

namespace hotframe {

std::string gzip_compress(std::string_view data);

// Fails with a one-line reason on data that is not gzip, is truncated or corrupt, or inflates to more than
// `max_bytes` (a gzip bomb: a 2 MB file can inflate to 2 GiB). The reason names the limit.
Status gzip_decompress(std::string_view data, std::string* out, size_t max_bytes = kMaxProfileBytes);

bool looks_gzipped(std::string_view data);

}  // namespace hotframe
