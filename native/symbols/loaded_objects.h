// Off the signal path. The ELF objects mapped into this process (the program, libjvm, libc, JNI libraries),
// as the dynamic loader lists them: one scan that the symbol tables, the unwind tables and the look-ups of
// HotSpot functions all use.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotframe {

struct MappedRange {
    uintptr_t low;
    uintptr_t high;
};

struct LoadedObject {
    std::string name;    // as the loader knows it; empty for the main program
    std::string path;    // the file: `name`, or /proc/self/exe's target for the main program
    uintptr_t bias;      // what to add to a symbol's value to get its address in this process
    uintptr_t code_low;  // the range of its executable segments in this process
    uintptr_t code_high;
    const uint8_t* eh_frame_hdr;      // its mapped PT_GNU_EH_FRAME segment, or nullptr
    std::vector<MappedRange> mapped;  // its readable loaded segments
    std::string build_id;             // its GNU build id as loaded, from its notes in memory; empty if none
};

// Every loaded object with executable code.
std::vector<LoadedObject> loaded_objects();

// The first loaded object whose loader name contains `name_part` (e.g. "libjvm.so").
std::optional<LoadedObject> find_loaded_object(std::string_view name_part);

// dlpi_adds + dlpi_subs: changes whenever an object is loaded or unloaded. Costs one loader step.
unsigned long long loaded_objects_generation();

}  // namespace hotframe
