#include "native/output/output_file.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>

namespace hotframe {

namespace {

Status fail(const std::string& what, const std::string& path, int error_number) {
    return Status::error("cannot write " + path + ": " + what + ": " + std::strerror(error_number));
}

const char* kind_of(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISLNK(mode)) return "a symbolic link";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

// A temporary file beside `path`, created 0666 so that the umask applies (mkstemp would make it 0600), never
// through a link, with a name nobody else uses.
int create_temporary(const std::string& path, std::string* temporary) {
    static thread_local std::mt19937_64 random{std::random_device{}()};
    for (int attempt = 0; attempt < 100; attempt++) {
        char suffix[16];
        std::snprintf(suffix, sizeof(suffix), ".tmp.%06llx", static_cast<unsigned long long>(random() & 0xffffff));
        *temporary = path + suffix;
        int fd = open(temporary->c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST) return fd;
    }
    errno = EEXIST;
    return -1;
}

// Puts the finished temporary file at `path`: over a regular file, or where nothing is. RENAME_NOREPLACE makes
// "nothing is there" hold at the moment of the rename, not only when we looked.
int put_in_place(const std::string& temporary, const std::string& path) {
    struct stat target;
    if (lstat(path.c_str(), &target) == 0) {
        if (!S_ISREG(target.st_mode)) {
            errno = EEXIST;
            return -1;
        }
        return rename(temporary.c_str(), path.c_str());
    }
    if (errno != ENOENT) return -1;
    if (syscall(SYS_renameat2, AT_FDCWD, temporary.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) == 0) return 0;
    if (errno != EINVAL && errno != ENOSYS) return -1;
    // A file system without RENAME_NOREPLACE: link(2) fails as well when the name exists.
    if (link(temporary.c_str(), path.c_str()) != 0) return -1;
    unlink(temporary.c_str());
    return 0;
}

}  // namespace

std::string why_not_replaceable(const std::string& path) {
    struct stat info;
    if (lstat(path.c_str(), &info) != 0 || S_ISREG(info.st_mode)) return "";
    return std::string("it is ") + kind_of(info.st_mode);
}

Status write_file_atomically(const std::string& path, std::string_view content) {
    // Checked first too, so that a refusal costs no temporary file; put_in_place checks again at the end.
    if (std::string why = why_not_replaceable(path); !why.empty()) {
        return Status::error("cannot write " + path + ": " + why + "; only a regular file is ever replaced");
    }
    std::string temporary;
    int fd = create_temporary(path, &temporary);
    if (fd < 0) return fail("create " + temporary, path, errno);
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
    if (put_in_place(temporary, path) != 0) {
        int error_number = errno;
        unlink(temporary.c_str());
        if (error_number == EEXIST) {
            std::string why = why_not_replaceable(path);
            return Status::error("cannot write " + path + ": " + (why.empty() ? "it appeared meanwhile" : why) +
                                 "; only a regular file is ever replaced");
        }
        return fail("rename", path, error_number);
    }
    return Status::ok();
}

Status open_for_append(const std::string& path, int* fd) {
    // O_NONBLOCK: opening a FIFO for writing would otherwise wait for a reader (for ever, at the JVM's exit).
    // With no reader it fails with ENXIO; with one it opens, and fstat refuses it below.
    *fd = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0666);
    if (*fd < 0) {
        int error_number = errno;
        if (error_number == ELOOP) return Status::error("cannot open " + path + ": it is a symbolic link");
        if (error_number == ENXIO) return Status::error("cannot open " + path + ": it is a FIFO");
        return Status::error("cannot open " + path + ": " + std::strerror(error_number));
    }
    // Checked on the descriptor, not the name: what was looked at is what is written.
    struct stat info;
    if (fstat(*fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        std::string why = fstat(*fd, &info) == 0 ? kind_of(info.st_mode) : std::strerror(errno);
        close(*fd);
        *fd = -1;
        return Status::error("cannot open " + path + ": it is " + why + "; only a regular file is appended to");
    }
    // A regular file never blocks; the flag only had to keep open() from waiting.
    fcntl(*fd, F_SETFL, O_WRONLY | O_APPEND);
    return Status::ok();
}

Status append_line(const std::string& path, std::string_view line) {
    int fd = -1;
    if (Status opened = open_for_append(path, &fd); !opened.is_ok()) return opened;
    ssize_t written = write(fd, line.data(), line.size());
    int error_number = errno;
    close(fd);
    if (written != static_cast<ssize_t>(line.size())) {
        return Status::error("cannot append to " + path + ": " + std::strerror(written < 0 ? error_number : ENOSPC));
    }
    return Status::ok();
}

}  // namespace hotframe
