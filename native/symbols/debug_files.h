// Off the signal path. Finds the separate debug file of a loaded object, where distributions put the .symtab
// that they strip from their libraries (Debian's libc6-dbg, openjdk-17-dbg): first by the object's GNU build
// id, ROOT/.build-id/xx/rest.debug, then by its .gnu_debuglink name next to the object, in its .debug/
// subdirectory and under ROOT followed by the object's directory, as gdb looks. A build-id file is taken only if
// it carries the same build id, a debuglink file only if its CRC-32 matches the one the object recorded: a stale
// or foreign file would name every pc wrongly. Only local files are read; nothing is downloaded.
//
// And only files that nobody but root and the process's own user can have put in place: the object's directory
// and its .debug/ may be writable by others (a library unpacked in /tmp), a CRC-32 is easily forged, and a debug
// file's names go to the C++ demangler, which a crafted name of a few hundred bytes keeps busy for hours while
// it fills memory. A candidate is read only if its directory is owned by root or us with no write bit for its
// group or others (or is sticky, as /tmp is: then only an entry's owner can replace it, and a link there is not
// followed), and the file itself is owned by root or us with no write bit for its group or others. A directory
// that fails is not opened into at all; the file is checked on the descriptor it is then read through.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "native/symbols/elf_file.h"

namespace hotframe {

// Where distributions install debug files.
inline constexpr const char* kDefaultDebugRoot = "/usr/lib/debug";

struct DebugFile {
    std::string path;  // empty: none found
    enum class FoundBy { kNone, kBuildId, kDebugLink } found_by = FoundBy::kNone;
    ElfFile file;  // open on the very file whose build id or CRC was checked: read the names from it
    // The first candidate that was there but not read because another user could have written it, and why
    // ("/tmp/.debug/x.debug: its directory is writable by other users"); empty if none.
    std::string refused;
};

// `object` is the file at `object_path`, already open; `debug_root` stands for /usr/lib/debug (tests point it
// at a directory of their own).
DebugFile find_debug_file(const ElfFile& object, const std::string& object_path, const std::string& debug_root);

// The CRC-32 (zlib's, as .gnu_debuglink uses) of the whole regular file at `path`; nullopt if it cannot be read
// or is larger than ElfFile::kMaxFileBytes. For tests and tools: the lookup takes the CRC of the descriptor it
// then reads (ElfFile::file_crc32).
std::optional<uint32_t> file_crc32(const std::string& path);

}  // namespace hotframe
