// Signal-safe: called from the SIGPROF handler, under the fault guard.
#include "native/capture/java_frames.h"

#include "native/capture/vm_memory.h"

namespace hotframe {

using vm_memory::aligned;
using vm_memory::kWord;
using vm_memory::read;
using vm_memory::read_word;

// Method* to jmethodID (see java_walk.h for why this cannot name the wrong method); 0 when the class has no
// jmethodID for it (yet) or the structures do not agree.
jmethodID method_id(const VmLayout& layout, uintptr_t method) {
    if (!aligned(method)) return nullptr;
    uintptr_t const_method = read_word(method + layout.method_const_method);
    if (!aligned(const_method)) return nullptr;
    uintptr_t constants = read_word(const_method + layout.const_method_constants);
    if (!aligned(constants)) return nullptr;
    uintptr_t holder = read_word(constants + layout.constant_pool_holder);
    if (!aligned(holder)) return nullptr;
    uintptr_t ids = read_word(holder + layout.klass_jmethod_ids);
    if (!aligned(ids)) return nullptr;
    uintptr_t idnum = read<uint16_t>(const_method + layout.const_method_idnum);
    uintptr_t length = read_word(ids);  // [0] holds the array's length, the ids follow
    if (idnum + 1 > length) return nullptr;
    uintptr_t id = read_word(ids + (idnum + 1) * kWord);
    if (!aligned(id)) return nullptr;
    if (layout.jmethod_id_is_method_slot && read_word(id) != method) return nullptr;
    return reinterpret_cast<jmethodID>(id);
}

bool is_native_method(const VmLayout& layout, uintptr_t method) {
    return (read<uint16_t>(method + layout.method_access_flags) & layout.access_native) != 0;
}

}  // namespace hotframe
