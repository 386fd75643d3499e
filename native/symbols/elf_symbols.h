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
    bool deleted;  // the kernel says " (deleted)": the file is no longer at its path
};

// Every file-backed mapping of this process, in address order (one read of /proc/self/maps).
std::vector<FileMapping> file_mappings();

// Whether `file` (fstat of an open descriptor) is the file that the mapping holding `address` maps: a JDK or libc
// upgraded in place leaves the old, deleted file mapped and a different build at the path, whose symbol offsets
// would point into the wrong code. The same inode, and the same device unless the mapping's file is still at
// its path: on btrfs subvolumes and on overlayfs before Linux 6.8, /proc/self/maps gives another device than
// stat for the very same file (and the old file's inode cannot be reused while it stays mapped).
bool maps_file_at(const std::vector<FileMapping>& mappings, uintptr_t address, const struct stat& file);

// Whether `file` (open) is the file an object was loaded from, whose build id as loaded is `loaded_build_id` and
// whose code holds `code_address`: a package upgrade replaces the file at the path while the old one stays
// mapped. The same GNU build id where the object has one, which holds on any file system (on overlayfs, as in
// containers, /proc/self/maps gives the device of the layer below, not the one stat gives); else the same
// device and inode as the mapping of its code (maps_file_at), `mappings()` giving file_mappings() when asked.
template <typename Mappings>
bool is_loaded_file(const ElfFile& file, const std::string& loaded_build_id, uintptr_t code_address,
                    Mappings mappings) {
    if (!loaded_build_id.empty()) return file.build_id() == loaded_build_id;
    const struct stat* status = file.file_status();
    return status != nullptr && maps_file_at(mappings(), code_address, *status);
}

// Whether the file now at object.path is the one loaded (is_loaded_file).
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
