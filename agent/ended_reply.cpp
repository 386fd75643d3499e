#include "agent/ended_reply.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "native/output/output_file.h"
#include "native/path_parts.h"

namespace hotframe {

namespace {

// The launcher makes its reply directory with mktemp -d (mode 0700) and, run as root for another user's JVM,
// gives it to the JVM's user. It is opened without following a link and checked through the descriptor, which
// the write then goes through: the launcher may remove the directory while the JVM ends and someone else put a
// link or a directory of theirs at the name, and neither is written into.
int open_launcher_directory(const std::string& directory) {
    int fd = open(directory.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return -1;
    struct stat info;
    if (fstat(fd, &info) != 0 || !S_ISDIR(info.st_mode) || info.st_uid != geteuid() ||
        (info.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

}  // namespace

std::string ended_reply_text(const std::string& why, const std::string& error, const std::vector<std::string>& paths) {
    std::string text = error.empty() ? "ok\nprofiling stopped: " + why + "\n" : "error: " + error + "\n";
    // Also after an error: a session of several events may have written some of its files before one failed.
    for (const std::string& path : paths) text += "wrote " + path + "\n";
    return text;
}

EndedReply write_ended_reply(const std::string& reply_file, const std::string& text, std::string* error) {
    int directory = open_launcher_directory(directory_of(reply_file));
    if (directory < 0) return EndedReply::kNoLauncherDirectory;
    Status written = write_file_atomically_in(directory, file_name_of(reply_file) + ".ended", text);
    close(directory);
    if (written.is_ok()) return EndedReply::kWritten;
    *error = written.message();
    return EndedReply::kWriteFailed;
}

}  // namespace hotframe
