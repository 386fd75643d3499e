// Off the signal path: called once at start.
#include "native/symbols/vm_tables.h"

#include <dlfcn.h>

namespace hotframe {

namespace vm_structs {

namespace {

bool symbol(const char* name, uintptr_t* value) {
    void* address = dlsym(RTLD_DEFAULT, name);
    if (address == nullptr) return false;
    *value = *static_cast<uintptr_t*>(address);
    return true;
}
bool layout_number(const std::string& name, uint64_t* value, std::string* missing) {
    uintptr_t number = 0;
    if (!symbol(name.c_str(), &number)) {
        *missing = name;
        return false;
    }
    *value = number;
    return true;
}
const char* text_at(uintptr_t entry, uint64_t offset) { return *reinterpret_cast<const char* const*>(entry + offset); }

}  // namespace

bool Tables::load(const std::string& hidden, std::string* missing) {
    hidden_ = hidden;
    return load_structs(missing) && load_types(missing) && load_constants("Int", &ints_, missing) &&
           load_constants("Long", &longs_, missing);
}

const FieldEntry* Tables::field(const std::string& type, const std::string& name) const {
    std::string key = type + "::" + name;
    if (key == hidden_) return nullptr;
    auto found = fields_.find(key);
    return found == fields_.end() ? nullptr : &found->second;
}
bool Tables::type_size(const std::string& type, uint64_t* size) const {
    if (type == hidden_) return false;
    auto found = types_.find(type);
    if (found == types_.end()) return false;
    *size = found->second;
    return true;
}
bool Tables::int_constant(const std::string& name, int64_t* value) const {
    if (name == hidden_) return false;
    auto found = ints_.find(name);
    if (found == ints_.end()) return false;
    *value = found->second;
    return true;
}

bool Tables::load_structs(std::string* missing) {
    uint64_t type_name = 0, field_name = 0, type_string = 0, offset = 0, address = 0, stride = 0;
    const std::string prefix = "gHotSpotVMStructEntry";
    if (!layout_number(prefix + "TypeNameOffset", &type_name, missing) ||
        !layout_number(prefix + "FieldNameOffset", &field_name, missing) ||
        !layout_number(prefix + "TypeStringOffset", &type_string, missing) ||
        !layout_number(prefix + "OffsetOffset", &offset, missing) ||
        !layout_number(prefix + "AddressOffset", &address, missing) ||
        !layout_number("gHotSpotVMStructEntryArrayStride", &stride, missing)) {
        return false;
    }
    uintptr_t table = 0;
    if (!symbol("gHotSpotVMStructs", &table) || table == 0) {
        *missing = "gHotSpotVMStructs";
        return false;
    }
    // The table ends with an entry whose type name is null; bounded in case it does not.
    for (int i = 0; i < 100000; i++) {
        uintptr_t entry = table + static_cast<uintptr_t>(i) * stride;
        const char* type = text_at(entry, type_name);
        if (type == nullptr) return true;
        const char* name = text_at(entry, field_name);
        const char* declared = text_at(entry, type_string);
        if (name == nullptr) continue;
        FieldEntry field{*reinterpret_cast<const uint64_t*>(entry + offset),
                         *reinterpret_cast<const uintptr_t*>(entry + address), declared ? declared : ""};
        fields_.emplace(std::string(type) + "::" + name, field);
    }
    *missing = "gHotSpotVMStructs (no end)";
    return false;
}

bool Tables::load_types(std::string* missing) {
    uint64_t type_name = 0, size = 0, stride = 0;
    if (!layout_number("gHotSpotVMTypeEntryTypeNameOffset", &type_name, missing) ||
        !layout_number("gHotSpotVMTypeEntrySizeOffset", &size, missing) ||
        !layout_number("gHotSpotVMTypeEntryArrayStride", &stride, missing)) {
        return false;
    }
    uintptr_t table = 0;
    if (!symbol("gHotSpotVMTypes", &table) || table == 0) {
        *missing = "gHotSpotVMTypes";
        return false;
    }
    for (int i = 0; i < 100000; i++) {
        uintptr_t entry = table + static_cast<uintptr_t>(i) * stride;
        const char* type = text_at(entry, type_name);
        if (type == nullptr) return true;
        types_.emplace(type, *reinterpret_cast<const uint64_t*>(entry + size));
    }
    *missing = "gHotSpotVMTypes (no end)";
    return false;
}

bool Tables::load_constants(const std::string& kind, std::map<std::string, int64_t>* into, std::string* missing) {
    const std::string prefix = "gHotSpotVM" + kind + "Constant";
    uint64_t name_offset = 0, value_offset = 0, stride = 0;
    if (!layout_number(prefix + "EntryNameOffset", &name_offset, missing) ||
        !layout_number(prefix + "EntryValueOffset", &value_offset, missing) ||
        !layout_number(prefix + "EntryArrayStride", &stride, missing)) {
        return false;
    }
    uintptr_t table = 0;
    if (!symbol(("gHotSpotVM" + kind + "Constants").c_str(), &table) || table == 0) {
        *missing = "gHotSpotVM" + kind + "Constants";
        return false;
    }
    for (int i = 0; i < 100000; i++) {
        uintptr_t entry = table + static_cast<uintptr_t>(i) * stride;
        const char* name = text_at(entry, name_offset);
        if (name == nullptr) return true;
        int64_t value = kind == "Int" ? *reinterpret_cast<const int32_t*>(entry + value_offset)
                                      : *reinterpret_cast<const int64_t*>(entry + value_offset);
        into->emplace(name, value);
    }
    *missing = prefix + "s (no end)";
    return false;
}

}  // namespace vm_structs

}  // namespace hotframe
