#include "native/symbols/elf_file.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace hotframe {

namespace {

// Caps on what one file may make us allocate. The largest real tables (libjvm's .symtab and .strtab in its
// debug file) are tens of MB; a corrupted size field must not turn into a multi-GB allocation.
constexpr uint64_t kMaxSections = uint64_t{1} << 18;
constexpr uint64_t kMaxSymbolTableBytes = uint64_t{256} << 20;
constexpr uint64_t kMaxStringTableBytes = uint64_t{256} << 20;
constexpr uint64_t kMaxSectionNamesBytes = uint64_t{16} << 20;
constexpr uint64_t kMaxNoteBytes = uint64_t{1} << 20;
constexpr uint64_t kMaxDebugLinkBytes = 4096;
constexpr uint32_t kMaxBuildIdBytes = 64;  // GNU ld writes 16 (md5) or 20 (sha1); 0x... ids are short too

uint64_t align4(uint64_t value) { return (value + 3) & ~uint64_t{3}; }

}  // namespace

ElfFile::~ElfFile() {
    if (fd_ >= 0) close(fd_);
}

ElfFile::ElfFile(ElfFile&& other) noexcept { *this = std::move(other); }

ElfFile& ElfFile::operator=(ElfFile&& other) noexcept {
    if (this == &other) return *this;
    if (fd_ >= 0) close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    memory_ = std::exchange(other.memory_, nullptr);
    size_ = std::exchange(other.size_, 0);
    status_ = other.status_;
    has_status_ = std::exchange(other.has_status_, false);
    sections_ = std::move(other.sections_);
    section_names_ = std::move(other.section_names_);
    return *this;
}

Status ElfFile::open(const std::string& path) {
    // O_NONBLOCK: a FIFO must not block us; O_NOCTTY: a terminal must not become the JVM's.
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        int error = errno;
        *this = ElfFile();
        return Status::error("cannot open " + path + ": " + std::strerror(error));
    }
    return open_descriptor(fd, path);
}

Status ElfFile::open_descriptor(int fd, const std::string& name) {
    *this = ElfFile();
    fd_ = fd;
    auto opened = [&]() {
        // Checked on the descriptor, not the path: the file cannot be swapped between the check and the reads.
        struct stat info;
        if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) return Status::error(name + " is not a regular file");
        if (info.st_size <= 0 || static_cast<uint64_t>(info.st_size) > kMaxFileBytes) {
            return Status::error(name + " is empty or too large to be read");
        }
        size_ = static_cast<uint64_t>(info.st_size);
        status_ = info;
        has_status_ = true;
        return read_headers();
    }();
    if (!opened.is_ok()) *this = ElfFile();  // closed, and nothing of it left to read
    return opened;
}

Status ElfFile::open_memory(const unsigned char* data, uint64_t size) {
    if (data == nullptr || size == 0) return Status::error("no image");
    memory_ = data;
    size_ = size;
    return read_headers();
}

bool ElfFile::read(uint64_t offset, uint64_t size, void* out) const {
    if (offset > size_ || size > size_ - offset) return false;
    if (size == 0) return true;
    if (memory_ != nullptr) {
        std::memcpy(out, memory_ + offset, size);
        return true;
    }
    auto* bytes = static_cast<char*>(out);
    uint64_t done = 0;
    while (done < size) {
        // Short reads happen when the file shrank since fstat: then the part is simply missing.
        ssize_t got = pread(fd_, bytes + done, size - done, static_cast<off_t>(offset + done));
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return false;
        done += static_cast<uint64_t>(got);
    }
    return true;
}

Status ElfFile::read_headers() {
    Elf64_Ehdr header;
    if (!read(0, sizeof(header), &header) || std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0) {
        return Status::error("not an ELF file");
    }
    if (header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_ident[EI_DATA] != ELFDATA2LSB ||
        header.e_shentsize != sizeof(Elf64_Shdr)) {
        return Status::error("not a 64-bit little-endian ELF file");
    }
    if (header.e_shoff == 0) return Status::ok();  // no section headers: nothing to name from
    uint64_t count = header.e_shnum;
    uint32_t names_index = header.e_shstrndx;
    if (count == 0 || names_index == SHN_XINDEX) {
        // More than 0xff00 sections: the real count and names index are in the first section header.
        Elf64_Shdr first;
        if (!read(header.e_shoff, sizeof(first), &first)) return Status::error("section headers outside the file");
        if (count == 0) count = first.sh_size;
        if (names_index == SHN_XINDEX) names_index = first.sh_link;
    }
    if (count > kMaxSections || count > size_ / sizeof(Elf64_Shdr)) return Status::error("too many sections");
    std::vector<Elf64_Shdr> raw(count);
    if (!read(header.e_shoff, count * sizeof(Elf64_Shdr), raw.data())) {
        return Status::error("section headers outside the file");
    }
    sections_.reserve(count);
    for (const Elf64_Shdr& section : raw) {
        sections_.push_back(Section{section.sh_name, section.sh_type, section.sh_offset, section.sh_size,
                                    section.sh_link, section.sh_entsize});
    }
    if (names_index < sections_.size() && sections_[names_index].type == SHT_STRTAB) {
        section_names_ = contents(sections_[names_index], kMaxSectionNamesBytes).value_or("");
    }
    return Status::ok();
}

bool ElfFile::has_contents(const Section& section, uint64_t cap) const {
    // A debug file keeps the headers of sections whose contents stayed in the object (SHT_NOBITS).
    if (section.type == SHT_NOBITS || section.size > cap) return false;
    // A size within the cap but past the file's end must cost nothing.
    return section.offset <= size_ && section.size <= size_ - section.offset;
}

std::optional<std::string> ElfFile::contents(const Section& section, uint64_t cap) const {
    if (!has_contents(section, cap)) return std::nullopt;
    std::string bytes(section.size, '\0');
    if (!read(section.offset, section.size, bytes.data())) return std::nullopt;
    return bytes;
}

std::string ElfFile::section_name(const Section& section) const {
    if (section.name >= section_names_.size()) return "";
    // Up to the NUL; a name that runs to the end of the table without one is not trusted, nor one longer than
    // any section name a linker writes: searched to the end for each of 2^18 sections, a 16 MB table without
    // NULs would take hours.
    constexpr size_t kMaxSectionNameBytes = 256;
    const char* name = section_names_.data() + section.name;
    size_t searchable = std::min(section_names_.size() - section.name, kMaxSectionNameBytes);
    const void* nul = std::memchr(name, '\0', searchable);
    if (nul == nullptr) return "";
    return std::string(name, static_cast<const char*>(nul));
}

std::optional<std::string> ElfFile::symbol_names(const Section& table) const {
    if (table.entry_size != sizeof(Elf64_Sym) || table.link >= sections_.size()) return std::nullopt;
    const Section& strings_section = sections_[table.link];
    if (strings_section.type != SHT_STRTAB || !has_contents(table, kMaxSymbolTableBytes)) return std::nullopt;
    return contents(strings_section, kMaxStringTableBytes);
}

template <typename Visit>
void ElfFile::for_each_symbol(const Section& table, const char* names, uint64_t names_size, Visit visit) const {
    uint64_t count = table.size / sizeof(Elf64_Sym);
    // The symbols are read a chunk at a time (48 KB, which stays in the L2 cache): libjvm's .symtab is 1.4 MB
    // that is needed only once.
    constexpr uint64_t kChunkSymbols = 2048;
    std::vector<Elf64_Sym> chunk(std::min(count, kChunkSymbols));
    // Each name is searched for its NUL, and nothing stops a hostile table from pointing thousands of symbols
    // into one long run without a NUL: searched one by one, that is quadratic in the table's size (a 256 MB
    // table would keep this thread busy for hours, and the profile waiting for it would never be written).
    // Real tables have about one byte searched per byte of names (1.0 for libjvm and libstdc++, 1.25 for libc,
    // whose versioned names share their strings), so the searches together get four times the table plus a
    // megabyte; a table that needs more is left at the names read so far.
    uint64_t search_budget = 4 * names_size + (uint64_t{1} << 20);
    for (uint64_t first = 0; first < count; first += chunk.size()) {
        uint64_t in_chunk = std::min<uint64_t>(chunk.size(), count - first);
        if (!read(table.offset + first * sizeof(Elf64_Sym), in_chunk * sizeof(Elf64_Sym), chunk.data())) return;
        for (uint64_t i = 0; i < in_chunk; i++) {
            const Elf64_Sym& symbol = chunk[i];
            if (symbol.st_shndx == SHN_UNDEF || symbol.st_name == 0 || symbol.st_name >= names_size) continue;
            const char* name = names + symbol.st_name;
            // Up to the NUL, within the table: a name that runs to the table's end without one is not trusted.
            uint64_t searchable = std::min(names_size - symbol.st_name, search_budget);
            const void* nul = std::memchr(name, '\0', searchable);
            if (nul == nullptr) {
                if (searchable == search_budget) return;
                search_budget -= searchable;
                continue;
            }
            size_t length = static_cast<size_t>(static_cast<const char*>(nul) - name);
            search_budget -= length + 1;
            if (!visit(symbol, name, length)) return;
        }
    }
}

void ElfFile::read_symbol_table(const Section& table, FunctionTable& out) const {
    std::optional<std::string> strings = symbol_names(table);
    if (!strings) return;
    uint64_t strings_size = strings->size();
    // The whole string table is kept and the names point into it (function_table.h).
    std::optional<uint32_t> base = out.adopt_strings(std::move(*strings));
    if (!base) return;
    // Stays valid through the loop: nothing is adopted until it ends.
    const char* names = out.names().data() + *base;
    uint64_t count = table.size / sizeof(Elf64_Sym);
    // Room for every symbol (libjvm's .symtab has 58,000, of which 44,000 are functions with a name of their
    // own), so that the entries are not copied as they grow; up to 2^18 (8 MB), so that a hostile table of
    // non-function symbols gets no more than that in advance. keep_one_name_per_address gives back what a
    // table left mostly unused.
    constexpr uint64_t kMaxReservedEntries = uint64_t{1} << 18;
    out.entries().reserve(out.entries().size() + std::min(count, kMaxReservedEntries));
    for_each_symbol(table, names, strings_size, [&](const Elf64_Sym& symbol, const char* name, size_t length) {
        if (ELF64_ST_TYPE(symbol.st_info) != STT_FUNC || symbol.st_value == 0) return true;
        // .symtab spells versioned definitions out ("clock_gettime@@GLIBC_2.17"); the version is no part of
        // the function's name, and mangled C++ names never contain '@'. Looked for within the name only:
        // searching the rest of a 20 MB table for each symbol is quadratic.
        if (const void* at = std::memchr(name, '@', length); at != nullptr && at != name) {
            length = static_cast<size_t>(static_cast<const char*>(at) - name);
        }
        int binding = ELF64_ST_BIND(symbol.st_info);
        out.add_entry(FunctionEntry{symbol.st_value, symbol.st_size, *base + symbol.st_name,
                                    static_cast<uint32_t>(length), binding == STB_GLOBAL || binding == STB_WEAK});
        return true;
    });
}

std::vector<std::optional<uint64_t>> ElfFile::symbol_values(const std::vector<std::string>& names) const {
    std::vector<std::optional<uint64_t>> values(names.size());
    size_t missing = names.size();
    for (uint32_t kind : {SHT_SYMTAB, SHT_DYNSYM}) {
        // The first table of each kind only, as function_symbols reads.
        auto table = std::find_if(sections_.begin(), sections_.end(),
                                  [kind](const Section& section) { return section.type == kind; });
        if (missing == 0 || table == sections_.end()) continue;
        std::optional<std::string> strings = symbol_names(*table);
        if (!strings) continue;
        for_each_symbol(*table, strings->data(), strings->size(),
                        [&](const Elf64_Sym& symbol, const char* name, size_t length) {
                            for (size_t i = 0; i < names.size(); i++) {
                                if (values[i] || names[i].size() != length) continue;
                                if (std::memcmp(names[i].data(), name, length) != 0) continue;
                                values[i] = symbol.st_value;
                                missing--;
                            }
                            return missing != 0;
                        });
    }
    return values;
}

FunctionTable ElfFile::function_symbols() const {
    FunctionTable symbols;
    // The first of each kind only: the ELF format allows one .symtab and one .dynsym, and a hostile file with
    // thousands of symbol table headers over the same bytes must not make us keep thousands of copies.
    bool symtab_read = false, dynsym_read = false;
    for (const Section& section : sections_) {
        bool& read = section.type == SHT_SYMTAB ? symtab_read : dynsym_read;
        if ((section.type != SHT_SYMTAB && section.type != SHT_DYNSYM) || read) continue;
        read = true;
        read_symbol_table(section, symbols);
    }
    return symbols;
}

std::string gnu_build_id_in_notes(const unsigned char* notes, uint64_t size, uint64_t align) {
    auto padded = [align](uint64_t value) { return (value + align - 1) & ~(align - 1); };
    // Notes: namesz, descsz, type, then the name and the descriptor, each padded.
    uint64_t at = 0;
    while (size - at >= sizeof(Elf64_Nhdr)) {
        Elf64_Nhdr note;
        std::memcpy(&note, notes + at, sizeof(note));
        at += sizeof(note);
        uint64_t name_size = padded(note.n_namesz), desc_size = padded(note.n_descsz);
        if (name_size > size - at || desc_size > size - at - name_size) break;
        bool gnu = note.n_namesz == 4 && std::memcmp(notes + at, "GNU", 4) == 0;
        if (gnu && note.n_type == NT_GNU_BUILD_ID && note.n_descsz > 0 && note.n_descsz <= kMaxBuildIdBytes) {
            return std::string(reinterpret_cast<const char*>(notes + at + name_size), note.n_descsz);
        }
        at += name_size + desc_size;
    }
    return "";
}

const struct stat* ElfFile::file_status() const { return has_status_ ? &status_ : nullptr; }

std::optional<uint32_t> crc32_of_descriptor(int fd, uint64_t size) {
    uLong crc = crc32(0L, Z_NULL, 0);
    std::vector<unsigned char> buffer(1 << 16);
    uint64_t done = 0;
    while (done < size) {
        size_t part = static_cast<size_t>(std::min<uint64_t>(buffer.size(), size - done));
        ssize_t got = pread(fd, buffer.data(), part, static_cast<off_t>(done));
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return std::nullopt;
        crc = crc32(crc, buffer.data(), static_cast<uInt>(got));
        done += static_cast<uint64_t>(got);
    }
    return static_cast<uint32_t>(crc);
}

std::optional<uint32_t> ElfFile::file_crc32() const {
    if (fd_ < 0) return std::nullopt;
    return crc32_of_descriptor(fd_, size_);
}

std::string ElfFile::build_id() const {
    // The note sections read together come to kMaxNoteBytes at most (one larger than what is left is passed
    // over): a hostile file's 2^18 note headers over one megabyte of empty notes would otherwise cost a minute
    // of reads and loops for each look.
    uint64_t note_budget = kMaxNoteBytes;
    for (const Section& section : sections_) {
        if (section.type != SHT_NOTE || section.size > note_budget) continue;
        note_budget -= section.size;
        std::optional<std::string> notes = contents(section, kMaxNoteBytes);
        if (!notes) continue;
        // The build id's note section is 4-byte aligned as the linker writes it.
        std::string id = gnu_build_id_in_notes(reinterpret_cast<const unsigned char*>(notes->data()), notes->size(), 4);
        if (!id.empty()) return id;
    }
    return "";
}

std::optional<DebugLink> ElfFile::debug_link() const {
    for (const Section& section : sections_) {
        if (section.type != SHT_PROGBITS || section_name(section) != ".gnu_debuglink") continue;
        std::optional<std::string> link = contents(section, kMaxDebugLinkBytes);
        if (!link) return std::nullopt;
        // The file name, its NUL, padding to 4 bytes, then the CRC.
        size_t end = link->find('\0');
        if (end == std::string::npos || end == 0) return std::nullopt;
        uint64_t crc_at = align4(end + 1);
        if (crc_at + 4 > link->size()) return std::nullopt;
        DebugLink result{link->substr(0, end), 0};
        std::memcpy(&result.crc32, link->data() + crc_at, 4);
        return result;
    }
    return std::nullopt;
}

}  // namespace hotframe
