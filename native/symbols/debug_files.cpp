#include "native/symbols/debug_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <vector>

#include "native/path_parts.h"

namespace hotframe {

namespace {

std::string join(const std::string& directory, const std::string& name) {
    if (directory.empty()) return name;
    return directory.back() == '/' ? directory + name : directory + "/" + name;
}

std::string hex(const std::string& bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char byte : bytes) {
        out.push_back(kDigits[byte >> 4]);
        out.push_back(kDigits[byte & 0xf]);
    }
    return out;
}

// ROOT/.build-id/93/ac61...40.debug, taken only if it says it belongs to the same build.
std::string by_build_id(const ElfFile& object, const std::string& debug_root) {
    std::string id = object.build_id();
    if (id.size() < 2) return "";
    std::string digits = hex(id);
    std::string path = join(debug_root, ".build-id/" + digits.substr(0, 2) + "/" + digits.substr(2) + ".debug");
    ElfFile candidate;
    if (!candidate.open(path).is_ok() || !candidate.written_by_us_or_root() || candidate.build_id() != id) return "";
    return path;
}

// A debuglink is a base name; one with a slash (or "..") could send us anywhere on the file system.
bool plain_file_name(const std::string& name) {
    return !name.empty() && name.size() <= NAME_MAX && name.find('/') == std::string::npos && name != "." &&
           name != "..";
}

std::string by_debug_link(const ElfFile& object, const std::string& object_path, const std::string& debug_root) {
    std::optional<DebugLink> link = object.debug_link();
    if (!link || !plain_file_name(link->file_name)) return "";
    // The directory as the loader named the object, and as it really is (/lib is a link to /usr/lib on Debian).
    std::vector<std::string> directories{directory_of(object_path)};
    if (char* real = realpath(object_path.c_str(), nullptr)) {
        std::string real_directory = directory_of(real);
        std::free(real);
        if (real_directory != directories.front()) directories.push_back(real_directory);
    }
    for (const std::string& directory : directories) {
        for (const std::string& path :
             {join(directory, link->file_name), join(join(directory, ".debug"), link->file_name),
              join(debug_root + directory, link->file_name)}) {
            if (path == object_path) continue;  // a link that names the object itself
            ElfFile candidate;
            if (!candidate.open(path).is_ok() || !candidate.written_by_us_or_root()) continue;
            std::optional<uint32_t> crc = file_crc32(path);
            if (crc && *crc == link->crc32) return path;
        }
    }
    return "";
}

}  // namespace

std::optional<uint32_t> file_crc32(const std::string& path) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return std::nullopt;
    struct stat info;
    if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode) ||
        static_cast<uint64_t>(info.st_size) > ElfFile::kMaxFileBytes) {
        close(fd);
        return std::nullopt;
    }
    uLong crc = crc32(0L, Z_NULL, 0);
    std::vector<unsigned char> buffer(1 << 16);
    uint64_t total = 0;
    for (;;) {
        ssize_t got = read(fd, buffer.data(), buffer.size());
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            close(fd);
            return std::nullopt;
        }
        if (got == 0) break;
        total += static_cast<uint64_t>(got);
        // A file that grows while we read must still end: never read more than the cap.
        if (total > ElfFile::kMaxFileBytes) {
            close(fd);
            return std::nullopt;
        }
        crc = crc32(crc, buffer.data(), static_cast<uInt>(got));
    }
    close(fd);
    return static_cast<uint32_t>(crc);
}

DebugFile find_debug_file(const ElfFile& object, const std::string& object_path, const std::string& debug_root) {
    if (std::string path = by_build_id(object, debug_root); !path.empty()) {
        return DebugFile{path, DebugFile::FoundBy::kBuildId};
    }
    if (std::string path = by_debug_link(object, object_path, debug_root); !path.empty()) {
        return DebugFile{path, DebugFile::FoundBy::kDebugLink};
    }
    return DebugFile{};
}

}  // namespace hotframe
