// Off the signal path. The four layout tables libjvm.so exports for the serviceability agent
// (gHotSpotVMStructs, gHotSpotVMTypes, gHotSpotVMIntConstants, gHotSpotVMLongConstants), read through dlsym into
// maps by name, for vm_structs.cpp to build the walker's VmLayout from. The JVM must be loaded.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace hotframe {

namespace vm_structs {

struct FieldEntry {
    uint64_t offset;
    uintptr_t address;  // static fields only
    std::string type;
};

// The four tables, by name. Entries are read through the layout numbers libjvm exports beside each table
// (gHotSpotVMStructEntryFieldNameOffset and the like), not through a struct of ours, so that a field added to
// an entry in some release does not shift what we read. `hidden` (see read_layout) reads as absent.
class Tables {
public:
    // False, with the missing symbol's name in `missing`, when a table or its layout numbers are not exported.
    bool load(const std::string& hidden, std::string* missing);

    const FieldEntry* field(const std::string& type, const std::string& name) const;
    bool type_size(const std::string& type, uint64_t* size) const;
    bool int_constant(const std::string& name, int64_t* value) const;

private:
    bool load_structs(std::string* missing);
    bool load_types(std::string* missing);
    bool load_constants(const std::string& kind, std::map<std::string, int64_t>* into, std::string* missing);

    std::string hidden_;
    std::map<std::string, FieldEntry> fields_;
    std::map<std::string, uint64_t> types_;
    std::map<std::string, int64_t> ints_;
    std::map<std::string, int64_t> longs_;
};

}  // namespace vm_structs

}  // namespace hotframe
