// Writing output files, safely for an agent that runs as root inside someone's JVM: whole files so that no
// reader ever sees half of one (a temporary name in the same directory, then rename), and lines appended to a
// series. Which path to write is output_paths.h's business. Every writer here
//   - only ever replaces a regular file, or creates one: never a device node, FIFO, socket, directory or link
//     (file=/dev/null must not turn /dev/null into a regular file);
//   - never follows a link planted at the target and never blocks on a FIFO;
//   - creates files 0666 and lets the kernel apply the process's umask (umask() itself is never called: it
//     is process-wide and racy in a JVM).
#pragma once

#include <string>
#include <string_view>

#include "native/result.h"

namespace hotframe {

// Writes `content` to `path` through a temporary file and rename. On any failure (missing directory,
// permissions, a full disk, a target that is not a regular file) the temporary file is removed, `path` is left
// as it was, and the error says why in one line.
Status write_file_atomically(const std::string& path, std::string_view content);

// The same for `name` (a name, never a path with a '/') in a directory the caller holds open (an O_PATH
// descriptor it has checked), so that what was checked is what is written into, even if the directory's path is
// given to something else meanwhile. Errors name the file by `name` only.
Status write_file_atomically_in(int directory_fd, const std::string& name, std::string_view content);

// Opens `path` for appending (created if missing), refusing anything but a regular file before it is opened
// for writing: a link is not followed, a FIFO does not block, a device is never opened. Returns it in *fd.
Status open_for_append(const std::string& path, int* fd);

// Appends `line` (with its newline) to `path` through open_for_append, in one write(2): a reader may see the
// series end before a line, never inside one that was written.
Status append_line(const std::string& path, std::string_view line);

// Why `path` could not be replaced by a file of ours: "" if nothing is there or it is a regular file, else
// "it is a directory", "it is a symbolic link", ... (lstat: a link is not followed).
std::string why_not_replaceable(const std::string& path);

}  // namespace hotframe
