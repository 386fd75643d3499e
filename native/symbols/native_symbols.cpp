#include "native/symbols/native_symbols.h"

#include <cxxabi.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "native/symbols/elf_symbols.h"
#include "native/symbols/loaded_objects.h"

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
        object.short_name = base_name(object.path);
        object.is_jvm = object.short_name == "libjvm.so";
        found.push_back(std::move(object));
    }
    // Keep what was loaded already: symbol tables are the expensive part.
    for (Object& object : found) {
        for (Object& known : objects_) {
            if (known.path == object.path && known.bias == object.bias && known.symbols_loaded) {
                object.symbols = std::move(known.symbols);
                object.symbols_loaded = true;
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
        if (attempt == 0) scan_objects();
    }
    return nullptr;
}

void NativeSymbols::load_symbols(Object& object) {
    object.symbols_loaded = true;
    bool vdso = object.path.find("linux-vdso") != std::string::npos;
    for (ElfSymbol& symbol : vdso ? read_vdso_function_symbols() : read_elf_function_symbols(object.path)) {
        object.symbols.push_back(Symbol{symbol.value, symbol.size, std::move(symbol.name), {}, false});
    }
    std::sort(object.symbols.begin(), object.symbols.end(),
              [](const Symbol& a, const Symbol& b) { return a.start < b.start; });
}

NativeSymbols& NativeSymbols::shared() {
    static NativeSymbols* symbols = new NativeSymbols();  // never destroyed: a late sample may still ask
    return *symbols;
}

NativeSymbols::Resolved NativeSymbols::resolve(uintptr_t pc, bool return_address) {
    std::lock_guard<std::mutex> lock(mutex_);
    uintptr_t address = return_address && pc > 0 ? pc - 1 : pc;
    auto cached = cache_.find(address);
    if (cached != cache_.end()) return cached->second;
    Resolved resolved{kGeneratedCodeName, FrameKind::kPseudo};
    if (Object* object = object_of(address)) {
        if (!object->symbols_loaded) load_symbols(*object);
        uint64_t offset = address - object->bias;
        auto after = std::upper_bound(object->symbols.begin(), object->symbols.end(), offset,
                                      [](uint64_t value, const Symbol& symbol) { return value < symbol.start; });
        bool named = false;
        if (after != object->symbols.begin()) {
            Symbol& symbol = *(after - 1);
            // A symbol without a size is trusted up to the next one.
            bool inside = symbol.size != 0 ? offset < symbol.start + symbol.size
                                           : (after == object->symbols.end() || offset < after->start);
            if (inside) {
                if (symbol.readable.empty()) {
                    symbol.readable = demangle(symbol.name);
                    symbol.cpp = object->is_jvm || symbol.readable != symbol.name;
                }
                resolved = Resolved{symbol.readable, symbol.cpp ? FrameKind::kCpp : FrameKind::kNative};
                named = true;
            }
        }
        if (!named) resolved = Resolved{object->short_name + "+" + hex(offset), FrameKind::kNative};
    }
    return cache_.emplace(address, resolved).first->second;
}

}  // namespace hotframe
