#include "agent/ended_reply.h"

#include <sys/stat.h>
#include <unistd.h>

#include "native/output/output_file.h"

namespace hotframe {

namespace {

std::string directory_of(const std::string& path) {
    size_t slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

// The launcher makes its reply directory with mktemp -d (mode 0700) and, run as root for another user's JVM,
// gives it to the JVM's user. In a sticky /tmp nobody else can rename or replace a directory that user owns, so
// what lstat sees here is what the file is written into.
bool launcher_directory(const std::string& directory) {
    struct stat info;
    if (lstat(directory.c_str(), &info) != 0) return false;
    return S_ISDIR(info.st_mode) && info.st_uid == geteuid() && (info.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

}  // namespace

std::string ended_reply_text(const std::string& why, const std::string& error, const std::vector<std::string>& paths) {
    std::string text = error.empty() ? "ok\nprofiling stopped: " + why + "\n" : "error: " + error + "\n";
    for (const std::string& path : paths) text += "wrote " + path + "\n";
    return text;
}

EndedReply write_ended_reply(const std::string& reply_file, const std::string& text, std::string* error) {
    if (!launcher_directory(directory_of(reply_file))) return EndedReply::kNoLauncherDirectory;
    Status written = write_file_atomically(reply_file + ".ended", text);
    if (written.is_ok()) return EndedReply::kWritten;
    *error = written.message();
    return EndedReply::kWriteFailed;
}

}  // namespace hotframe
