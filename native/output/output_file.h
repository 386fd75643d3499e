// Where profiles go: file-name patterns (%p pid, %t timestamp, %% a percent sign) and writing a file so that
// no reader ever sees half of it (a temporary name in the same directory, then rename).
#pragma once

#include <ctime>
#include <string>
#include <string_view>

#include "native/result.h"

namespace hotframe {

// `when` is formatted as local time YYYYMMDD-HHMMSS.
std::string expand_file_pattern(std::string_view pattern, int pid, std::time_t when);

// Checks, before any profiling starts, that `path` could be written: its directory exists, is a directory and
// is writable. The message names the directory and the reason.
Status check_output_directory(const std::string& path);

// Writes `content` to `path` through a temporary file and rename(2). On any failure (missing directory,
// permissions, a full disk) the temporary file is removed, `path` is left as it was, and the error says why.
Status write_file_atomically(const std::string& path, std::string_view content);

}  // namespace hotframe
