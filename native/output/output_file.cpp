#include "native/output/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace hotframe {

std::string expand_file_pattern(std::string_view pattern, int pid, std::time_t when) {
    std::string out;
    for (size_t i = 0; i < pattern.size(); i++) {
        char c = pattern[i];
        if (c != '%' || i + 1 == pattern.size()) {
            out.push_back(c);
            continue;
        }
        char code = pattern[++i];
        if (code == 'p') {
            out.append(std::to_string(pid));
        } else if (code == 't') {
            std::tm local{};
            localtime_r(&when, &local);
            char stamp[32];
            std::strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &local);
            out.append(stamp);
        } else if (code == '%') {
            out.push_back('%');
        } else {
            out.push_back('%');
            out.push_back(code);
        }
    }
    return out;
}

namespace {

Status fail(const std::string& what, const std::string& path, int error_number) {
    return Status::error("cannot write " + path + ": " + what + ": " + std::strerror(error_number));
}

}  // namespace

Status check_output_directory(const std::string& path) {
    size_t slash = path.rfind('/');
    std::string directory = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
    struct stat info;
    if (stat(directory.c_str(), &info) != 0) {
        return Status::error("output directory " + directory + " is not usable: " + std::strerror(errno));
    }
    if (!S_ISDIR(info.st_mode)) return Status::error("output directory " + directory + " is not a directory");
    // access(W_OK) says yes to root everywhere, even in /proc or on a read-only mount: try to create a file.
    std::string probe = directory + "/.hotframe-probe-" + std::to_string(getpid());
    int fd = open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        return Status::error("output directory " + directory + " is not writable: " + std::strerror(errno));
    }
    close(fd);
    unlink(probe.c_str());
    return Status::ok();
}

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

}  // namespace hotframe
