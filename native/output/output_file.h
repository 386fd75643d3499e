// Writing output files: whole files so that no reader ever sees half of one (a temporary name in the same
// directory, then rename), and lines appended to a series. Which path to write is output_paths.h's business.
#pragma once

#include <string>
#include <string_view>

#include "native/result.h"

namespace hotframe {

// Writes `content` to `path` through a temporary file and rename(2). On any failure (missing directory,
// permissions, a full disk) the temporary file is removed, `path` is left as it was, and the error says why.
Status write_file_atomically(const std::string& path, std::string_view content);

// Appends `line` (with its newline) to `path`, created if missing, in one write(2): a reader may see the series
// end before a line, never inside one that was written.
Status append_line(const std::string& path, std::string_view line);

}  // namespace hotframe
