#include "native/symbols/debug_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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

// Why someone besides root and this process's user may have changed what `info` describes, or nullptr if only
// they can: owned by one of them, with no write bit for its group or others. A group may have members besides
// us, and the group bits also stand for any ACL entry (they hold its mask), so a group's write bit refuses.
const char* not_only_ours(const struct stat& info) {
    if (info.st_uid != 0 && info.st_uid != geteuid()) return "owned by a user other than root and the JVM's";
    if ((info.st_mode & S_IWOTH) != 0) return "writable by every user";
    if ((info.st_mode & S_IWGRP) != 0) return "writable by its group";
    return nullptr;
}

// Opens the candidate at `path` into `file` if nobody but root and us can have put it there (debug_files.h);
// otherwise says why in `refused` (only when something is there: a missing candidate is no refusal). Nothing
// is opened before its directory is trusted: opening a device or a terminal someone linked there has effects.
bool open_trusted(const std::string& path, ElfFile& file, std::string& refused) {
    file = ElfFile();
    int directory = open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (directory < 0) return false;
    std::string name = file_name_of(path);
    struct stat directory_info;
    const char* distrust = fstat(directory, &directory_info) == 0 ? not_only_ours(directory_info) : "unreadable";
    // Sticky and writable by all (/tmp): others may add entries but not replace ours, so the file's own owner
    // decides, and a link, which anybody could have made, is not followed.
    bool sticky = distrust != nullptr && (directory_info.st_mode & S_ISVTX) != 0 &&
                  (directory_info.st_uid == 0 || directory_info.st_uid == geteuid());
    if (distrust != nullptr && !sticky) {
        struct stat entry;
        if (fstatat(directory, name.c_str(), &entry, AT_SYMLINK_NOFOLLOW) == 0 && refused.empty()) {
            refused = path + ": its directory is " + distrust;
        }
        close(directory);
        return false;
    }
    int fd = openat(directory, name.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | (sticky ? O_NOFOLLOW : 0));
    int open_error = errno;
    close(directory);
    auto refuse = [&](const std::string& why) {
        if (refused.empty()) refused = path + ": " + why;
        file = ElfFile();
        return false;
    };
    if (fd < 0) return sticky && open_error == ELOOP ? refuse("a link in a directory every user can write to") : false;
    if (!file.open_descriptor(fd, path).is_ok()) return false;
    const struct stat* info = file.file_status();
    if (const char* why = info != nullptr ? not_only_ours(*info) : "unreadable") return refuse(why);
    return true;
}

// ROOT/.build-id/93/ac61...40.debug, taken only if it says it belongs to the same build.
bool by_build_id(const ElfFile& object, const std::string& debug_root, DebugFile& found) {
    std::string id = object.build_id();
    if (id.size() < 2) return false;
    std::string digits = hex(id);
    std::string path = join(debug_root, ".build-id/" + digits.substr(0, 2) + "/" + digits.substr(2) + ".debug");
    if (!open_trusted(path, found.file, found.refused) || found.file.build_id() != id) return false;
    found.path = path;
    found.found_by = DebugFile::FoundBy::kBuildId;
    return true;
}

// A debuglink is a base name; one with a slash (or "..") could send us anywhere on the file system.
bool plain_file_name(const std::string& name) {
    return !name.empty() && name.size() <= NAME_MAX && name.find('/') == std::string::npos && name != "." &&
           name != "..";
}

bool by_debug_link(const ElfFile& object, const std::string& object_path, const std::string& debug_root,
                   DebugFile& found) {
    std::optional<DebugLink> link = object.debug_link();
    if (!link || !plain_file_name(link->file_name)) return false;
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
            if (!open_trusted(path, found.file, found.refused)) continue;
            // Over the descriptor the names will be read from, so that what was checked is what is read.
            if (found.file.file_crc32() == link->crc32) {
                found.path = path;
                found.found_by = DebugFile::FoundBy::kDebugLink;
                return true;
            }
        }
    }
    found.file = ElfFile();
    return false;
}

}  // namespace

std::optional<uint32_t> file_crc32(const std::string& path) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) return std::nullopt;
    struct stat info;
    std::optional<uint32_t> crc;
    if (fstat(fd, &info) == 0 && S_ISREG(info.st_mode) &&
        static_cast<uint64_t>(info.st_size) <= ElfFile::kMaxFileBytes) {
        crc = crc32_of_descriptor(fd, static_cast<uint64_t>(info.st_size));
    }
    close(fd);
    return crc;
}

DebugFile find_debug_file(const ElfFile& object, const std::string& object_path, const std::string& debug_root) {
    DebugFile found;
    if (by_build_id(object, debug_root, found) || by_debug_link(object, object_path, debug_root, found)) return found;
    found.file = ElfFile();
    return found;
}

}  // namespace hotframe
