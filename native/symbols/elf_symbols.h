// Function symbols of an ELF shared object, read from the file's .symtab (static functions included, when the
// object was not stripped of it) and .dynsym, and the load address of objects mapped into this process. Off
// the signal path only: reading a file allocates.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotframe {

struct ElfSymbol {
    std::string name;
    uint64_t value;  // address in the object's own numbering (add the load bias for a mapped object)
    uint64_t size;
};

// Every function symbol of the file at `path`, from .symtab and .dynsym. Empty if the file is not a readable
// 64-bit ELF object.
std::vector<ElfSymbol> read_elf_function_symbols(const std::string& path);

struct LoadedObject {
    std::string path;
    uintptr_t bias;  // what to add to a symbol's value to get its address in this process
};

// The first object mapped into this process whose file name contains `name_part` (e.g. "libjvm.so").
std::optional<LoadedObject> find_loaded_object(std::string_view name_part);

// The address in this process of function `symbol` of the loaded object matching `name_part`, or nullptr.
void* find_function_in_loaded_object(std::string_view name_part, std::string_view symbol);

}  // namespace hotframe
