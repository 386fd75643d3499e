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
#include <utility>

#include "native/path_parts.h"

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

// The directory a file goes into, held open for the whole write: every step below names the file relative to
// it, so that a directory on the path swapped for a link halfway cannot send the rename somewhere else.
class Directory {
public:
    explicit Directory(const std::string& path) : name_(file_name_of(path)) {
        fd_ = open(directory_of(path).c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    }
    // A directory the caller opened and checked, borrowed for the write.
    Directory(int fd, std::string name) : fd_(fd), name_(std::move(name)), owned_(false) {}
    ~Directory() {
        if (owned_ && fd_ >= 0) close(fd_);
    }
    Directory(const Directory&) = delete;
    Directory& operator=(const Directory&) = delete;

    int fd() const { return fd_; }
    const std::string& name() const { return name_; }

private:
    int fd_ = -1;
    std::string name_;
    bool owned_ = true;
};

// What is at `name` in `directory` that would stop us replacing it: "" for nothing or a regular file.
std::string why_not_replaceable_at(int directory, const std::string& name) {
    struct stat info;
    if (fstatat(directory, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0 || S_ISREG(info.st_mode)) return "";
    return std::string("it is ") + kind_of(info.st_mode);
}

// A temporary file beside the target, created 0666 so that the umask applies (mkstemp would make it 0600),
// never through a link, with a name nobody else uses.
int create_temporary(const Directory& directory, std::string* temporary) {
    static thread_local std::mt19937_64 random{std::random_device{}()};
    for (int attempt = 0; attempt < 100; attempt++) {
        char suffix[16];
        std::snprintf(suffix, sizeof(suffix), ".tmp.%06llx", static_cast<unsigned long long>(random() & 0xffffff));
        *temporary = directory.name() + suffix;
        int fd = openat(directory.fd(), temporary->c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST) return fd;
    }
    errno = EEXIST;
    return -1;
}

// Puts the finished temporary file at the target: over a regular file, or where nothing is. RENAME_NOREPLACE
// makes "nothing is there" hold at the moment of the rename, not only when we looked.
int put_in_place(const Directory& directory, const std::string& temporary) {
    int dir = directory.fd();
    const char* name = directory.name().c_str();
    struct stat target;
    if (fstatat(dir, name, &target, AT_SYMLINK_NOFOLLOW) == 0) {
        if (!S_ISREG(target.st_mode)) {
            errno = EEXIST;
            return -1;
        }
        return renameat(dir, temporary.c_str(), dir, name);
    }
    if (errno != ENOENT) return -1;
    if (syscall(SYS_renameat2, dir, temporary.c_str(), dir, name, RENAME_NOREPLACE) == 0) return 0;
    if (errno != EINVAL && errno != ENOSYS) return -1;
    // A file system without RENAME_NOREPLACE: linkat fails as well when the name exists.
    if (linkat(dir, temporary.c_str(), dir, name, 0) == 0) {
        unlinkat(dir, temporary.c_str(), 0);
        return 0;
    }
    if (errno != EPERM && errno != ENOTSUP) return -1;
    // Nor hard links (some FUSE file systems): look once more and rename; the window is a few microseconds.
    if (fstatat(dir, name, &target, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(target.st_mode)) {
        errno = EEXIST;
        return -1;
    }
    return renameat(dir, temporary.c_str(), dir, name);
}

}  // namespace

std::string why_not_replaceable(const std::string& path) { return why_not_replaceable_at(AT_FDCWD, path); }

namespace {

// write_file_atomically's steps in a directory held open; `path` names the target in errors.
Status write_into(const Directory& directory, const std::string& path, std::string_view content) {
    // Checked first too, so that a refusal costs no temporary file; put_in_place checks again at the end.
    if (std::string why = why_not_replaceable_at(directory.fd(), directory.name()); !why.empty()) {
        return Status::error("cannot write " + path + ": " + why + "; only a regular file is ever replaced");
    }
    std::string temporary;
    int fd = create_temporary(directory, &temporary);
    if (fd < 0) return fail("create " + temporary, path, errno);
    auto discard = [&] { unlinkat(directory.fd(), temporary.c_str(), 0); };
    size_t written = 0;
    while (written < content.size()) {
        ssize_t n = write(fd, content.data() + written, content.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int error_number = n < 0 ? errno : ENOSPC;
            close(fd);
            discard();
            return fail("write", path, error_number);
        }
        written += static_cast<size_t>(n);
    }
    // A full disk can surface only when the data is flushed, so close's result matters too.
    if (fsync(fd) != 0 && errno != EINVAL) {
        int error_number = errno;
        close(fd);
        discard();
        return fail("fsync", path, error_number);
    }
    if (close(fd) != 0) {
        int error_number = errno;
        discard();
        return fail("close", path, error_number);
    }
    if (put_in_place(directory, temporary) != 0) {
        int error_number = errno;
        discard();
        if (error_number == EEXIST) {
            std::string why = why_not_replaceable_at(directory.fd(), directory.name());
            return Status::error("cannot write " + path + ": " + (why.empty() ? "it appeared meanwhile" : why) +
                                 "; only a regular file is ever replaced");
        }
        return fail("rename", path, error_number);
    }
    return Status::ok();
}

}  // namespace

Status write_file_atomically(const std::string& path, std::string_view content) {
    Directory directory(path);
    if (directory.fd() < 0) return fail("open its directory", path, errno);
    return write_into(directory, path, content);
}

Status write_file_atomically_in(int directory_fd, const std::string& name, std::string_view content) {
    return write_into(Directory(directory_fd, name), name, content);
}

Status open_for_append(const std::string& path, int* fd) {
    *fd = -1;
    // Looked at through O_PATH first: opening a device for writing can act (a watchdog arms, a tape rewinds)
    // before any fstat could refuse it. O_PATH opens nothing but the name, never follows the link, never
    // blocks on a FIFO; what it pins is what is checked and then opened.
    int probe = open(path.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (probe < 0 && errno == ENOENT) {
        // Nothing there: create it, exclusively, so that nothing planted meanwhile is written through.
        *fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (*fd >= 0) return Status::ok();
        if (errno != EEXIST) return Status::error("cannot open " + path + ": " + std::strerror(errno));
        probe = open(path.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
    }
    if (probe < 0) return Status::error("cannot open " + path + ": " + std::strerror(errno));
    struct stat info;
    bool examined = fstat(probe, &info) == 0;
    if (!examined || !S_ISREG(info.st_mode)) {
        std::string why = examined ? kind_of(info.st_mode) : std::strerror(errno);
        close(probe);
        return Status::error("cannot open " + path + ": it is " + why + "; only a regular file is appended to");
    }
    // The same inode, now for writing: /proc/self/fd/N leads to what the probe holds, not to the name.
    std::string pinned = "/proc/self/fd/" + std::to_string(probe);
    *fd = open(pinned.c_str(), O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC);
    int error_number = errno;
    close(probe);
    if (*fd < 0) return Status::error("cannot open " + path + ": " + std::strerror(error_number));
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
