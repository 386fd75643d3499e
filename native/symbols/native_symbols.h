// Names for native pcs from samples, off the signal path: the function from the ELF symbol tables of the
// object the pc is in (C++ names demangled), else "libname.so+0x1a2b", never a bare unknown. Objects are found
// with dl_iterate_phdr and looked at again when a pc falls outside all of them (a library loaded later). Code
// the JVM generates (interpreter, stubs, JIT-compiled methods) is in no object: "[jvm_generated_code]".
// When an object's own tables cannot name a pc (Debian strips libc's .symtab), its separate debug file is looked
// for once (see debug_files.h) and its .symtab added to the object's names. Where several names share an address
// one is chosen by the rule in symbol_aliases.h.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "native/frame_kind.h"
#include "native/symbols/debug_files.h"
#include "native/symbols/elf_file.h"
#include "native/symbols/elf_symbols.h"
#include "native/symbols/function_table.h"

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
    // Which function a pc is in, without naming it: resolve() names every pc of one function alike, so a caller
    // can name a function once and reuse its frame for the function's other pcs. Builds no string.
    struct Function {
        uintptr_t start = 0;     // where its symbol starts in this process; 0 where no symbol covers the pc
        bool in_object = false;  // false: in no loaded object, which resolve() names kGeneratedCodeName
    };
    Function function_at(uintptr_t pc, bool return_address);

    // Separate debug files on (under `debug_root`, normally kDefaultDebugRoot) or off. A change forgets the
    // names resolved so far, so that a session with debuginfo=off never shows a name from a debug file.
    void set_debug_files(bool enabled, const std::string& debug_root);
    // The objects (by file name, "libc.so.6") that got names from a separate debug file so far, for the log.
    std::vector<std::string> objects_named_by_debug_files();
    // Debug files that were there but not read because a user other than root and the JVM's could have written
    // them, each with why (debug_files.h), for the log.
    std::vector<std::string> refused_debug_files();
    // Objects (paths) whose file on disk is no longer the one mapped (replaced by an upgrade, or deleted, since
    // it was loaded), so that they are named by offsets, for the log.
    std::vector<std::string> replaced_objects();
    // How many of each the lists above keep: a library unpacked under a new name each time is looked at each time.
    static constexpr size_t kMaxReported = 16;

private:
    // A function's name as shown, made on first use: many pcs fall in one function, and demangling is the
    // costly part of naming.
    struct Readable {
        std::string name;
        bool cpp = false;
    };
    struct Object {
        uintptr_t low;  // lowest and highest address of its executable segments, in this process
        uintptr_t high;
        uintptr_t bias;  // load bias: symbol values + bias = addresses here
        std::string path;
        std::string build_id;  // as loaded (LoadedObject::build_id)
        std::string short_name;
        bool is_jvm;
        bool symbols_loaded = false;
        bool debug_file_tried = false;
        bool named_by_debug_file = false;
        FunctionTable functions;  // sorted by start, one per start
        // functions' values, kept apart for the search: a step reads 8 bytes instead of a whole entry, and
        // libjvm's ~49k starts (400 KB) mostly stay in cache while its entries and names (4 MB) do not.
        std::vector<uint64_t> starts;
        std::unordered_map<uint32_t, Readable> readable;  // by index into functions
    };

    Object* object_of(uintptr_t address);
    void scan_objects();
    void load_symbols(Object& object);
    // The object's own symbols and those of its debug file together; false if it has no usable debug file.
    bool add_debug_file_symbols(Object& object);
    void set_symbols(Object& object, FunctionTable symbols);
    // Whether `file` (open at object.path) is the file the object was loaded from (is_loaded_file, with
    // mappings_). With mutex_ held.
    bool is_loaded_file_locked(const Object& object, const ElfFile& file);
    // The function covering `offset` in the object's numbering, or nullptr.
    const FunctionEntry* symbol_at(const Object& object, uint64_t offset) const;
    // The symbol covering `address`, loading the object's tables (and its debug file's) as needed; nullptr if
    // none. `object` gets the object it is in, or nullptr.
    const FunctionEntry* symbol_of_locked(uintptr_t address, Object** object);

    std::mutex mutex_;  // an aggregator and an older one's last dump may resolve at once
    std::vector<Object> objects_;
    unsigned long long scanned_generation_ = ~0ull;  // loaded_objects_generation() when objects_ was scanned
    std::unordered_map<uintptr_t, Resolved> cache_;
    bool debug_files_ = true;
    std::string debug_root_ = kDefaultDebugRoot;
    std::vector<std::string> refused_debug_files_;  // distinct, at most kMaxReported
    std::vector<std::string> replaced_objects_;     // the same
    // The process's file mappings (elf_symbols.h) for objects without a build id, read when first needed and
    // again when the loader's generation moved.
    std::vector<FileMapping> mappings_;
    unsigned long long mappings_generation_ = ~0ull;
};

// "_ZN20G1ParScanThreadState22trim_queue_partiallyEv" -> "G1ParScanThreadState::trim_queue_partially()";
// anything that is not a mangled C++ name comes back as it is.
std::string demangle(const std::string& symbol);

}  // namespace hotframe
