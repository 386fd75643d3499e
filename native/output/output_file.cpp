#include "native/output/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace hotframe {

namespace {

Status fail(const std::string& what, const std::string& path, int error_number) {
    return Status::error("cannot write " + path + ": " + what + ": " + std::strerror(error_number));
}

}  // namespace

Status write_file_atomically(const std::string& path, std::string_view content) {
    // A unique temporary name: two writers of the same path must not write into one temporary file.
    std::string temporary = path + ".tmp.XXXXXX";
    int fd = mkostemp(temporary.data(), O_CLOEXEC);
    if (fd < 0) return fail("create " + temporary, path, errno);
    fchmod(fd, 0644);
    size_t written = 0;
    while (written < content.size()) {
        ssize_t n = write(fd, content.data() + written, content.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int error_number = n < 0 ? errno : ENOSPC;
            close(fd);
            unlink(temporary.c_str());
            return fail("write", path, error_number);
        }
        written += static_cast<size_t>(n);
    }
    // A full disk can surface only when the data is flushed, so close's result matters too.
    if (fsync(fd) != 0 && errno != EINVAL) {
        int error_number = errno;
        close(fd);
        unlink(temporary.c_str());
        return fail("fsync", path, error_number);
    }
    if (close(fd) != 0) {
        int error_number = errno;
        unlink(temporary.c_str());
        return fail("close", path, error_number);
    }
    if (rename(temporary.c_str(), path.c_str()) != 0) {
        int error_number = errno;
        unlink(temporary.c_str());
        return fail("rename", path, error_number);
    }
    return Status::ok();
}

Status append_line(const std::string& path, std::string_view line) {
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return Status::error("cannot open " + path + ": " + std::strerror(errno));
    ssize_t written = write(fd, line.data(), line.size());
    int error_number = errno;
    close(fd);
    if (written != static_cast<ssize_t>(line.size())) {
        return Status::error("cannot append to " + path + ": " + std::strerror(written < 0 ? error_number : ENOSPC));
    }
    return Status::ok();
}

}  // namespace hotframe
