// Names for native pcs from samples, off the signal path: the function from the ELF symbol tables of the
// object the pc is in (C++ names demangled), else "libname.so+0x1a2b", never a bare unknown. Objects are found
// with dl_iterate_phdr and looked at again when a pc falls outside all of them (a library loaded later). Code
// the JVM generates (interpreter, stubs, JIT-compiled methods) is in no object: "[jvm_generated_code]".
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "native/frame_kind.h"

namespace hotframe {

class NativeSymbols {
public:
    // The process's instance: symbol tables are large (libjvm's alone holds ~100k functions) and outlive
    // sessions, so they are read once rather than once per session.
    static NativeSymbols& shared();

    // What resolve() names a pc in no loaded object: code the JVM generated (see GeneratedCode).
    static constexpr const char* kGeneratedCodeName = "[jvm_generated_code]";

    struct Resolved {
        std::string name;
        FrameKind kind;  // kCpp for C++ (and libjvm), kNative for C and everything else
    };

    // `pc` exactly as sampled; `return_address` says it is one past a call, to be looked up one byte earlier.
    Resolved resolve(uintptr_t pc, bool return_address);

private:
    struct Symbol {
        uint64_t start;
        uint64_t size;
        std::string name;
        // Filled on first use: many pcs fall in one function, and demangling is the costly part of naming.
        std::string readable;
        bool cpp = false;
    };
    struct Object {
        uintptr_t low;  // lowest and highest address of its executable segments, in this process
        uintptr_t high;
        uintptr_t bias;  // load bias: symbol values + bias = addresses here
        std::string path;
        std::string short_name;
        bool is_jvm;
        bool symbols_loaded = false;
        std::vector<Symbol> symbols;  // functions sorted by start
    };

    Object* object_of(uintptr_t address);
    void scan_objects();
    void load_symbols(Object& object);

    std::mutex mutex_;  // an aggregator and an older one's last dump may resolve at once
    std::vector<Object> objects_;
    std::unordered_map<uintptr_t, Resolved> cache_;
};

// "_ZN20G1ParScanThreadState22trim_queue_partiallyEv" -> "G1ParScanThreadState::trim_queue_partially()";
// anything that is not a mangled C++ name comes back as it is.
std::string demangle(const std::string& symbol);

}  // namespace hotframe
