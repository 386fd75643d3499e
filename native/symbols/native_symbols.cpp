#include "native/symbols/native_symbols.h"

#include <cxxabi.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "native/symbols/elf_symbols.h"
#include "native/symbols/loaded_objects.h"
#include "native/symbols/symbol_aliases.h"

namespace hotframe {

namespace {

std::string base_name(const std::string& path) {
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string hex(uint64_t value) {
    char text[24];
    std::snprintf(text, sizeof(text), "0x%llx", static_cast<unsigned long long>(value));
    return text;
}

// Adds `entry` to a list kept for the log, once, and up to NativeSymbols::kMaxReported entries.
void remember(std::vector<std::string>& list, const std::string& entry) {
    if (list.size() < NativeSymbols::kMaxReported && std::find(list.begin(), list.end(), entry) == list.end()) {
        list.push_back(entry);
    }
}

}  // namespace

std::string demangle(const std::string& symbol) {
    if (symbol.size() < 2 || symbol[0] != '_' || symbol[1] != 'Z') return symbol;
    int status = 0;
    char* readable = abi::__cxa_demangle(symbol.c_str(), nullptr, nullptr, &status);
    if (readable == nullptr || status != 0) {
        std::free(readable);
        return symbol;
    }
    std::string out = readable;
    std::free(readable);
    return out;
}

void NativeSymbols::scan_objects() {
    std::vector<Object> found;
    for (LoadedObject& loaded : loaded_objects()) {
        Object object{};
        object.low = loaded.code_low;
        object.high = loaded.code_high;
        object.bias = loaded.bias;
        object.path = std::move(loaded.path);
        object.build_id = std::move(loaded.build_id);
        object.short_name = base_name(object.path);
        object.is_jvm = object.short_name == "libjvm.so";
        found.push_back(std::move(object));
    }
    // Keep what was loaded already: symbol tables are the expensive part.
    for (Object& object : found) {
        for (Object& known : objects_) {
            if (known.path == object.path && known.bias == object.bias && known.symbols_loaded) {
                object.functions = std::move(known.functions);
                object.starts = std::move(known.starts);
                object.readable = std::move(known.readable);
                object.symbols_loaded = true;
                object.debug_file_tried = known.debug_file_tried;
                object.named_by_debug_file = known.named_by_debug_file;
            }
        }
    }
    objects_ = std::move(found);
}

NativeSymbols::Object* NativeSymbols::object_of(uintptr_t address) {
    for (int attempt = 0; attempt < 2; attempt++) {
        for (Object& object : objects_) {
            if (address >= object.low && address < object.high) return &object;
        }
        if (attempt != 0) break;
        // Every new pc in the JVM's generated code is in no object: scanning again (a string per object) is only
        // worth it when the loader has loaded or unloaded something since the last scan.
        unsigned long long generation = loaded_objects_generation();
        if (generation == scanned_generation_) break;
        scan_objects();
        scanned_generation_ = generation;
    }
    return nullptr;
}

void NativeSymbols::set_symbols(Object& object, FunctionTable symbols) {
    keep_one_name_per_address(symbols);
    object.functions = std::move(symbols);
    object.readable.clear();  // indexes into the former table
    object.starts.clear();
    object.starts.reserve(object.functions.size());
    for (const FunctionEntry& entry : object.functions.entries()) object.starts.push_back(entry.value);
}

void NativeSymbols::load_symbols(Object& object) {
    object.symbols_loaded = true;
    if (object.path.find("linux-vdso") != std::string::npos) {
        set_symbols(object, read_vdso_function_symbols());
        return;
    }
    ElfFile file;
    if (!file.open(object.path).is_ok()) {
        // Deleted since it was loaded (or never readable): no names, and the log says why.
        if (access(object.path.c_str(), F_OK) != 0) remember(replaced_objects_, object.path);
        return;
    }
    // The file at the path is the one mapped only until a package upgrade replaces it (the old one stays mapped,
    // deleted): the new build's symbols would name the wrong code, and its build id would find the wrong debug
    // file. Such an object is named by offsets.
    if (!is_loaded_file_locked(object, file)) {
        object.debug_file_tried = true;
        remember(replaced_objects_, object.path);
        return;
    }
    set_symbols(object, file.function_symbols());
}

bool NativeSymbols::add_debug_file_symbols(Object& object) {
    object.debug_file_tried = true;
    // Checked again on this open (load_symbols checked its own): the build id and debuglink must be the loaded
    // build's.
    ElfFile file;
    if (!file.open(object.path).is_ok() || !is_loaded_file_locked(object, file)) {
        return false;
    }
    DebugFile debug = find_debug_file(file, object.path, debug_root_);
    if (!debug.refused.empty()) remember(refused_debug_files_, debug.refused);
    if (debug.path.empty()) return false;
    // From the descriptor whose build id or CRC find_debug_file checked, not the path again.
    FunctionTable symbols = debug.file.function_symbols();
    if (symbols.empty()) return false;
    // The object's own names stay: a debug file of an older build would have been refused, so both agree.
    symbols.append(object.functions);
    set_symbols(object, std::move(symbols));
    object.named_by_debug_file = true;
    return true;
}

const FunctionEntry* NativeSymbols::symbol_at(const Object& object, uint64_t offset) const {
    auto after = std::upper_bound(object.starts.begin(), object.starts.end(), offset);
    if (after == object.starts.begin()) return nullptr;
    size_t index = static_cast<size_t>(after - object.starts.begin()) - 1;
    const FunctionEntry& symbol = object.functions.entries()[index];
    // A symbol without a size is trusted up to the next one.
    bool inside =
        symbol.size != 0 ? offset < symbol.value + symbol.size : (after == object.starts.end() || offset < *after);
    return inside ? &symbol : nullptr;
}

void NativeSymbols::set_debug_files(bool enabled, const std::string& debug_root) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (enabled == debug_files_ && debug_root == debug_root_) return;
    debug_files_ = enabled;
    debug_root_ = debug_root;
    cache_.clear();
    refused_debug_files_.clear();  // each object is looked at again on demand
    for (Object& object : objects_) {
        if (!object.debug_file_tried) continue;
        // Read again on demand, from the object's own tables first.
        object.functions = FunctionTable();
        object.starts.clear();
        object.readable.clear();
        object.symbols_loaded = false;
        object.debug_file_tried = false;
        object.named_by_debug_file = false;
    }
}

bool NativeSymbols::is_loaded_file_locked(const Object& object, const ElfFile& file) {
    // The mappings only for an object without a build id, and read again only when the loader's generation moved.
    return is_loaded_file(file, object.build_id, object.low, [this]() -> const std::vector<FileMapping>& {
        unsigned long long generation = loaded_objects_generation();
        if (generation != mappings_generation_) {
            mappings_ = file_mappings();
            mappings_generation_ = generation;
        }
        return mappings_;
    });
}

std::vector<std::string> NativeSymbols::replaced_objects() {
    std::lock_guard<std::mutex> lock(mutex_);
    return replaced_objects_;
}

std::vector<std::string> NativeSymbols::refused_debug_files() {
    std::lock_guard<std::mutex> lock(mutex_);
    return refused_debug_files_;
}

std::vector<std::string> NativeSymbols::objects_named_by_debug_files() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::string> names;
    for (const Object& object : objects_) {
        if (object.named_by_debug_file) names.push_back(object.short_name);
    }
    return names;
}

NativeSymbols& NativeSymbols::shared() {
    static NativeSymbols* symbols = new NativeSymbols();  // never destroyed: a late sample may still ask
    return *symbols;
}

const FunctionEntry* NativeSymbols::symbol_of_locked(uintptr_t address, Object** object) {
    *object = object_of(address);
    if (*object == nullptr) return nullptr;
    if (!(*object)->symbols_loaded) load_symbols(**object);
    uint64_t offset = address - (*object)->bias;
    const FunctionEntry* symbol = symbol_at(**object, offset);
    // Lazily: only an object whose own tables leave a pc unnamed costs a look for its debug file.
    if (symbol == nullptr && debug_files_ && !(*object)->debug_file_tried && add_debug_file_symbols(**object)) {
        symbol = symbol_at(**object, offset);
    }
    return symbol;
}

NativeSymbols::Function NativeSymbols::function_at(uintptr_t pc, bool return_address) {
    std::lock_guard<std::mutex> lock(mutex_);
    uintptr_t address = return_address && pc > 0 ? pc - 1 : pc;
    Object* object = nullptr;
    const FunctionEntry* symbol = symbol_of_locked(address, &object);
    return Function{symbol != nullptr ? object->bias + symbol->value : 0, object != nullptr};
}

NativeSymbols::Resolved NativeSymbols::resolve(uintptr_t pc, bool return_address) {
    std::lock_guard<std::mutex> lock(mutex_);
    uintptr_t address = return_address && pc > 0 ? pc - 1 : pc;
    auto cached = cache_.find(address);
    if (cached != cache_.end()) return cached->second;
    Resolved resolved{kGeneratedCodeName, FrameKind::kPseudo};
    Object* object = nullptr;
    const FunctionEntry* symbol = symbol_of_locked(address, &object);
    if (object != nullptr) {
        if (symbol != nullptr) {
            auto index = static_cast<uint32_t>(symbol - object->functions.entries().data());
            auto [named, added] = object->readable.try_emplace(index);
            if (added) {
                std::string mangled(object->functions.name(*symbol));
                named->second.name = demangle(mangled);
                named->second.cpp = object->is_jvm || named->second.name != mangled;
            }
            resolved = Resolved{named->second.name, named->second.cpp ? FrameKind::kCpp : FrameKind::kNative};
        } else {
            resolved = Resolved{object->short_name + "+" + hex(address - object->bias), FrameKind::kNative};
        }
    }
    return cache_.emplace(address, resolved).first->second;
}

}  // namespace hotframe
