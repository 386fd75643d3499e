#include "native/symbols/elf_symbols.h"

#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string_view>

namespace hotframe {

FunctionTable read_elf_function_symbols(const std::string& path) {
    ElfFile file;
    if (!file.open(path).is_ok()) return {};
    return file.function_symbols();
}

FunctionTable read_vdso_function_symbols() {
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
        ElfFile image;
        if (!image.open_memory(reinterpret_cast<const unsigned char*>(base), high - low).is_ok()) return {};
        return image.function_symbols();
    }
    return {};
}

std::vector<FileMapping> file_mappings() {
    std::vector<FileMapping> mappings;
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line)) {
        // "start-end perms offset major:minor inode    path"; inode 0: anonymous memory, the heap, a stack.
        unsigned long long low = 0, high = 0, inode = 0;
        unsigned device_major = 0, device_minor = 0;
        if (std::sscanf(line.c_str(), "%llx-%llx %*s %*s %x:%x %llu", &low, &high, &device_major, &device_minor,
                        &inode) != 5 ||
            inode == 0) {
            continue;
        }
        constexpr std::string_view kDeleted = " (deleted)";
        bool deleted = line.size() >= kDeleted.size() &&
                       line.compare(line.size() - kDeleted.size(), kDeleted.size(), kDeleted) == 0;
        mappings.push_back(FileMapping{static_cast<uintptr_t>(low), static_cast<uintptr_t>(high), device_major,
                                       device_minor, inode, deleted});
    }
    // The kernel lists them in address order, but a read while other threads map and unmap can see one twice.
    std::sort(mappings.begin(), mappings.end(),
              [](const FileMapping& a, const FileMapping& b) { return a.low < b.low; });
    return mappings;
}

bool maps_file_at(const std::vector<FileMapping>& mappings, uintptr_t address, const struct stat& file) {
    auto after = std::upper_bound(mappings.begin(), mappings.end(), address,
                                  [](uintptr_t value, const FileMapping& mapping) { return value < mapping.low; });
    if (after == mappings.begin()) return false;
    const FileMapping& mapping = *(after - 1);
    bool same_device = mapping.device_major == major(file.st_dev) && mapping.device_minor == minor(file.st_dev);
    return address < mapping.high && mapping.inode == file.st_ino && (same_device || !mapping.deleted);
}

bool loaded_file_is_current(const LoadedObject& object) {
    ElfFile file;
    return file.open(object.path).is_ok() && is_loaded_file(file, object.build_id, object.code_low, file_mappings);
}

std::vector<uintptr_t> find_code_in_loaded_object(std::string_view name_part, const std::vector<std::string>& names,
                                                  std::string* why) {
    std::optional<LoadedObject> object = find_loaded_object(name_part);
    // Checked on the open the symbols are then read from.
    ElfFile file;
    if (!object || !file.open(object->path).is_ok() ||
        !is_loaded_file(file, object->build_id, object->code_low, file_mappings)) {
        *why = std::string(name_part) + " is not loaded from the file at its path";
        return {};
    }
    std::vector<uintptr_t> addresses;
    for (const std::optional<uint64_t>& value : file.symbol_values(names)) {
        uintptr_t address = value ? object->bias + *value : 0;
        addresses.push_back(address >= object->code_low && address < object->code_high ? address : 0);
    }
    return addresses;
}

void* find_function_in_loaded_object(std::string_view name_part, std::string_view symbol) {
    std::string why;
    std::vector<uintptr_t> found = find_code_in_loaded_object(name_part, {std::string(symbol)}, &why);
    return found.empty() ? nullptr : reinterpret_cast<void*>(found[0]);
}

}  // namespace hotframe
