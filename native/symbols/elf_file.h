// Off the signal path. A bounds-checked reader of 64-bit ELF files: function symbols, the GNU build id and the
// .gnu_debuglink of a loaded object or of a separate debug file. Debug files are read inside a JVM that may run
// as root, from directories other users may be able to write, so nothing in a file is trusted: every offset,
// size, count and name is checked against the file before use, sizes are capped, and files are read with
// pread rather than mapped (a file truncated while mapped would raise SIGBUS in the reading thread).
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "native/result.h"
#include "native/symbols/function_table.h"

namespace hotframe {

// .gnu_debuglink: the base name of the separate debug file and the CRC-32 of its whole contents.
struct DebugLink {
    std::string file_name;
    uint32_t crc32;
};

// The NT_GNU_BUILD_ID note's bytes among `size` bytes of notes at `notes` (each note's name and descriptor
// padded to `align`, 4 or 8, as its section or segment says), or empty; a build id of more than 64 bytes is no
// build id. Every length is checked against `size`.
std::string gnu_build_id_in_notes(const unsigned char* notes, uint64_t size, uint64_t align);

// The CRC-32 (zlib's, as .gnu_debuglink uses) of the first `size` bytes of the file open as `fd`, read with
// pread; nullopt if any of them cannot be read (the file shrank meanwhile).
std::optional<uint32_t> crc32_of_descriptor(int fd, uint64_t size);

class ElfFile {
public:
    // Files larger than this are refused: no object or debug file a JVM loads comes near it.
    static constexpr uint64_t kMaxFileBytes = uint64_t{4} << 30;

    ElfFile() = default;
    ~ElfFile();
    ElfFile(ElfFile&& other) noexcept;
    ElfFile& operator=(ElfFile&& other) noexcept;
    ElfFile(const ElfFile&) = delete;
    ElfFile& operator=(const ElfFile&) = delete;

    // Opens the file at `path` (following links as any path does, then checking on the open descriptor that it
    // is a regular file of at most kMaxFileBytes) and reads its headers.
    Status open(const std::string& path);
    // The file already open as `fd`, which this object then owns (closed even when the open fails); `name` is
    // for messages.
    Status open_descriptor(int fd, const std::string& name);
    // An image already in memory (the vDSO), `size` bytes from `data`, which must stay mapped meanwhile.
    Status open_memory(const unsigned char* data, uint64_t size);

    // Every function symbol of .symtab and .dynsym; empty where there are none.
    FunctionTable function_symbols() const;
    // The value of each symbol in `names`, of any type (HotSpot's SafeFetch labels are no functions on every
    // build), from .symtab or else .dynsym; nullopt for a name defined in neither.
    std::vector<std::optional<uint64_t>> symbol_values(const std::vector<std::string>& names) const;
    // The opened file's status as fstat gave it on the descriptor the reads use; nullptr for an image in memory
    // or a file not (yet) opened.
    const struct stat* file_status() const;
    // The CRC-32 (zlib's, as .gnu_debuglink uses) of the whole opened file, read through the same descriptor;
    // nullopt for an image in memory or a read that fails.
    std::optional<uint32_t> file_crc32() const;
    // The NT_GNU_BUILD_ID note's bytes; empty if there is none.
    std::string build_id() const;
    std::optional<DebugLink> debug_link() const;

private:
    struct Section {
        uint32_t name;
        uint32_t type;
        uint64_t offset;
        uint64_t size;
        uint32_t link;
        uint64_t entry_size;
    };

    Status read_headers();
    // Copies `size` bytes at `offset`; false if any of them lies outside the file or cannot be read.
    bool read(uint64_t offset, uint64_t size, void* out) const;
    // Whether a section has contents in the file, no larger than `cap`, all inside the file: checked before
    // anything is allocated for it.
    bool has_contents(const Section& section, uint64_t cap) const;
    // A section's contents, or nullopt unless has_contents.
    std::optional<std::string> contents(const Section& section, uint64_t cap) const;
    std::string section_name(const Section& section) const;
    void read_symbol_table(const Section& table, FunctionTable& out) const;
    // The string table of symbol table `table`, or nullopt when either is not what it claims to be.
    std::optional<std::string> symbol_names(const Section& table) const;
    // Calls `visit(symbol, name, name_length)` for each defined symbol of `table` with a name that ends within
    // `names` (its string table, `names_size` bytes); a read that fails part-way keeps what came before it.
    template <typename Visit>
    void for_each_symbol(const Section& table, const char* names, uint64_t names_size, Visit visit) const;

    int fd_ = -1;
    const unsigned char* memory_ = nullptr;
    uint64_t size_ = 0;
    struct stat status_ {};
    bool has_status_ = false;
    std::vector<Section> sections_;
    std::string section_names_;  // .shstrtab
};

}  // namespace hotframe
