// Function symbols of an ELF shared object, read from the file's .symtab (static functions included, when the
// object was not stripped of it) and .dynsym through the bounds-checked ElfFile, and the load address of objects mapped
// into this process. Off the signal path only: reading a file allocates.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "native/symbols/elf_file.h"
#include "native/symbols/loaded_objects.h"

namespace hotframe {

// Every function symbol of the file at `path`, from .symtab and .dynsym. Empty if the file is not a readable
// 64-bit ELF object.
FunctionTable read_elf_function_symbols(const std::string& path);

// The functions of the vDSO, the kernel's code mapped into every process (clock_gettime, gettimeofday), which
// has no file: read from the image in memory.
FunctionTable read_vdso_function_symbols();

// A file-backed mapping of this process, as /proc/self/maps lists it.
struct FileMapping {
    uintptr_t low;
    uintptr_t high;
    unsigned device_major;
    unsigned device_minor;
    unsigned long long inode;
};

// Every file-backed mapping of this process, in address order (one read of /proc/self/maps).
std::vector<FileMapping> file_mappings();

// Whether `file` (fstat of an open descriptor) is the file that the mapping holding `address` maps: a JDK or libc
// upgraded in place leaves the old, deleted file mapped and a different build at the path, whose symbol offsets
// would point into the wrong code.
bool maps_file_at(const std::vector<FileMapping>& mappings, uintptr_t address, const struct stat& file);

// Whether the file now at object.path is the one mapped into this process (maps_file_at its code).
bool loaded_file_is_current(const LoadedObject& object);

// The addresses in this process of the symbols `names` (of any type: HotSpot's SafeFetch labels are no
// functions on every build) of the loaded object matching `name_part`, in the order asked; 0 for a name the
// object does not define or whose address is outside its code. Empty, with `why` said, when no such object is
// loaded from the file now at its path.
std::vector<uintptr_t> find_code_in_loaded_object(std::string_view name_part, const std::vector<std::string>& names,
                                                  std::string* why);

// The address in this process of function `symbol` of the loaded object matching `name_part`, or nullptr: one
// name of find_code_in_loaded_object.
void* find_function_in_loaded_object(std::string_view name_part, std::string_view symbol);

}  // namespace hotframe
