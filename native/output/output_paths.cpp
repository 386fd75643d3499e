#include "native/output/output_paths.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <random>

#include "native/output/output_file.h"

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

size_t extension_start(const std::string& path) {
    size_t slash = path.rfind('/');
    size_t name = slash == std::string::npos ? 0 : slash + 1;
    for (const char* double_extension : {".pb.gz", ".flat.txt", ".flat.json"}) {
        size_t length = std::strlen(double_extension);
        if (path.size() - name > length && path.compare(path.size() - length, length, double_extension) == 0) {
            return path.size() - length;
        }
    }
    size_t dot = path.rfind('.');
    return dot == std::string::npos || dot < name ? path.size() : dot;
}

std::string pattern_for_event(const std::string& pattern, const std::string& event, size_t event_count) {
    std::string out = pattern;
    if (event_count > 1 && out.find("%e") == std::string::npos) out.insert(extension_start(out), "-%e");
    for (size_t at = out.find("%e"); at != std::string::npos; at = out.find("%e", at + event.size())) {
        out.replace(at, 2, event);
    }
    return out;
}

std::string choose_pattern(const std::string& file, const std::string& directory, const std::string& default_name) {
    if (!file.empty()) return file;
    if (directory.empty()) return default_name;
    return directory + (directory.back() == '/' ? "" : "/") + default_name;
}

std::string default_profile_name(std::string_view extension) { return "hotframe-%p-%t." + std::string(extension); }

std::string default_thread_dump_name(bool json) { return json ? "threads-%p-%t.json" : "threads-%p-%t.txt"; }

std::string default_memory_name(bool json_series) { return json_series ? "memory-%p.jsonl" : "memory-%p-%t.txt"; }

std::string default_thread_sampling_name() { return "hotframe-sample-%p-%t.txt"; }

std::string next_output_path(const std::string& pattern, std::time_t when) {
    std::string path = expand_file_pattern(pattern, getpid(), when);
    if (pattern.find("%t") == std::string::npos || access(path.c_str(), F_OK) != 0) return path;
    size_t dot = extension_start(path);
    // Bounded by what kNameReserve keeps room for; past it the last name is reused (and replaced).
    for (int n = 2; n <= 9999; n++) {
        std::string candidate = path.substr(0, dot) + "-" + std::to_string(n) + path.substr(dot);
        if (access(candidate.c_str(), F_OK) != 0) return candidate;
    }
    return path.substr(0, dot) + "-9999" + path.substr(dot);
}

Status check_output_directory(const std::string& path) {
    size_t slash = path.rfind('/');
    std::string directory = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
    struct stat info;
    if (stat(directory.c_str(), &info) != 0) {
        return Status::error("output directory " + directory + " is not usable: " + std::strerror(errno));
    }
    if (!S_ISDIR(info.st_mode)) return Status::error("output directory " + directory + " is not a directory");
    // access(W_OK) says yes to root everywhere, even in /proc or on a read-only mount: try to create a file.
    // A name nobody can guess, so that a file planted under it cannot make every start fail.
    static thread_local std::mt19937_64 random{std::random_device{}()};
    std::string probe = directory + "/.hotframe-probe-" + std::to_string(getpid()) + "-" + std::to_string(random());
    int fd = open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        return Status::error("output directory " + directory + " is not writable: " + std::strerror(errno));
    }
    close(fd);
    unlink(probe.c_str());
    return Status::ok();
}

Status check_output_file(const std::string& path) {
    size_t slash = path.rfind('/');
    std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    if (name.empty() || name == "." || name == "..") {
        return Status::error("output file " + path + " names a directory, not a file");
    }
    // The temporary name beside it and a same-second suffix make the name longer than the user's.
    if (name.size() + kNameReserve > NAME_MAX) {
        return Status::error("output file name " + name.substr(0, 40) + "... is too long: at most " +
                             std::to_string(NAME_MAX - kNameReserve) + " characters");
    }
    if (Status directory = check_output_directory(path); !directory.is_ok()) return directory;
    if (std::string why = why_not_replaceable(path); !why.empty()) {
        return Status::error("output file " + path + " cannot be written: " + why +
                             "; only a regular file is ever replaced");
    }
    return Status::ok();
}

Status check_output_pattern(const std::string& pattern) {
    // The name as one event writes it, and as several do ("-EVENT" inserted), with %e at the longest event
    // name: whichever the session turns out to write, it can be written.
    for (size_t events : {1, 2}) {
        std::string path =
            expand_file_pattern(pattern_for_event(pattern, "itimer", events), getpid(), std::time(nullptr));
        if (Status checked = check_output_file(path); !checked.is_ok()) return checked;
    }
    return Status::ok();
}

void FileRotation::add(const std::string& path) {
    files_.erase(std::remove(files_.begin(), files_.end(), path), files_.end());
    files_.push_back(path);
    while (keep_ != 0 && files_.size() > keep_) {
        std::remove(files_.front().c_str());
        files_.pop_front();
    }
}

}  // namespace hotframe
