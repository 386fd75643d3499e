#include "native/symbols/elf_symbols.h"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace hotframe {

namespace {

// Bytes of an ELF image, wherever they are: a mapped file or an image already in memory (the vDSO).
class ElfImage {
public:
    ElfImage(const unsigned char* data, size_t size) : data_(data), size_(size) {}

    // A pointer to `count` objects of T at `offset`, or nullptr if they would reach past the end.
    template <typename T>
    const T* at(uint64_t offset, uint64_t count = 1) const {
        if (data_ == nullptr || offset > size_ || count > (size_ - offset) / sizeof(T)) return nullptr;
        return reinterpret_cast<const T*>(data_ + offset);
    }

private:
    const unsigned char* data_;
    size_t size_;
};

// A read-only mapping of a whole file, unmapped when it goes.
class MappedFile {
public:
    explicit MappedFile(const std::string& path) {
        int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return;
        struct stat info;
        if (fstat(fd, &info) == 0 && info.st_size > 0) {
            void* data = mmap(nullptr, static_cast<size_t>(info.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
            if (data != MAP_FAILED) {
                data_ = static_cast<const unsigned char*>(data);
                size_ = static_cast<size_t>(info.st_size);
            }
        }
        close(fd);
    }
    ~MappedFile() {
        if (data_ != nullptr) munmap(const_cast<unsigned char*>(data_), size_);
    }
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    ElfImage image() const { return ElfImage(data_, size_); }

private:
    const unsigned char* data_ = nullptr;
    size_t size_ = 0;
};

void read_symbol_table(const ElfImage& file, const Elf64_Shdr& table, const Elf64_Shdr& strings,
                       std::vector<ElfSymbol>& out) {
    if (table.sh_entsize != sizeof(Elf64_Sym)) return;
    uint64_t count = table.sh_size / sizeof(Elf64_Sym);
    const auto* symbols = file.at<Elf64_Sym>(table.sh_offset, count);
    const char* names = file.at<char>(strings.sh_offset, strings.sh_size);
    if (symbols == nullptr || names == nullptr) return;
    for (uint64_t i = 0; i < count; i++) {
        const Elf64_Sym& symbol = symbols[i];
        if (ELF64_ST_TYPE(symbol.st_info) != STT_FUNC || symbol.st_shndx == SHN_UNDEF || symbol.st_value == 0) {
            continue;
        }
        if (symbol.st_name >= strings.sh_size) continue;
        // Bounded: a name without its terminating NUL inside the table is not trusted.
        const char* name = names + symbol.st_name;
        size_t length = strnlen(name, strings.sh_size - symbol.st_name);
        if (length == strings.sh_size - symbol.st_name) continue;
        out.push_back(ElfSymbol{std::string(name, length), symbol.st_value, symbol.st_size});
    }
}

std::vector<ElfSymbol> read_function_symbols(const ElfImage& file) {
    std::vector<ElfSymbol> symbols;
    const auto* header = file.at<Elf64_Ehdr>(0);
    if (header == nullptr || std::memcmp(header->e_ident, ELFMAG, SELFMAG) != 0 ||
        header->e_ident[EI_CLASS] != ELFCLASS64 || header->e_shentsize != sizeof(Elf64_Shdr)) {
        return symbols;
    }
    const auto* sections = file.at<Elf64_Shdr>(header->e_shoff, header->e_shnum);
    if (sections == nullptr) return symbols;
    for (unsigned i = 0; i < header->e_shnum; i++) {
        const Elf64_Shdr& section = sections[i];
        if (section.sh_type != SHT_SYMTAB && section.sh_type != SHT_DYNSYM) continue;
        if (section.sh_link >= header->e_shnum) continue;
        read_symbol_table(file, section, sections[section.sh_link], symbols);
    }
    return symbols;
}

}  // namespace

std::vector<ElfSymbol> read_elf_function_symbols(const std::string& path) {
    MappedFile file(path);
    return read_function_symbols(file.image());
}

std::vector<ElfSymbol> read_vdso_function_symbols() {
    // The kernel maps the whole vDSO image, section headers and .dynsym included, at AT_SYSINFO_EHDR; its size
    // is that of the [vdso] mapping.
    auto base = static_cast<uintptr_t>(getauxval(AT_SYSINFO_EHDR));
    if (base == 0) return {};
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line)) {
        if (line.size() < 6 || line.compare(line.size() - 6, 6, "[vdso]") != 0) continue;
        unsigned long long low = 0, high = 0;
        if (std::sscanf(line.c_str(), "%llx-%llx", &low, &high) != 2 || low != base || high <= low) return {};
        return read_function_symbols(ElfImage(reinterpret_cast<const unsigned char*>(base), high - low));
    }
    return {};
}

bool loaded_file_is_current(const LoadedObject& object) {
    struct stat now;
    if (stat(object.path.c_str(), &now) != 0) return false;
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line)) {
        // "start-end perms offset major:minor inode    path"
        std::istringstream fields(line);
        std::string range, perms, offset, device, path;
        unsigned long long inode = 0;
        if (!(fields >> range >> perms >> offset >> device >> inode)) continue;
        std::getline(fields >> std::ws, path);
        if (path != object.path) continue;
        unsigned int device_major = 0, device_minor = 0;
        if (std::sscanf(device.c_str(), "%x:%x", &device_major, &device_minor) != 2) return false;
        return inode == now.st_ino && device_major == major(now.st_dev) && device_minor == minor(now.st_dev);
    }
    return false;  // mapped under another name (or "(deleted)"): not the file at the path
}

void* find_function_in_loaded_object(std::string_view name_part, std::string_view symbol) {
    std::optional<LoadedObject> object = find_loaded_object(name_part);
    if (!object || !loaded_file_is_current(*object)) return nullptr;
    for (const ElfSymbol& candidate : read_elf_function_symbols(object->path)) {
        if (candidate.name != symbol) continue;
        uintptr_t address = object->bias + candidate.value;
        if (address < object->code_low || address >= object->code_high) return nullptr;
        return reinterpret_cast<void*>(address);
    }
    return nullptr;
}

}  // namespace hotframe
