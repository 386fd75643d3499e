// Signal-safe: called from the SIGPROF handler, under the fault guard.
#include "native/capture/java_frames.h"

#include <atomic>

#include "native/capture/vm_memory.h"

namespace hotframe {

using vm_memory::aligned;
using vm_memory::kWord;
using vm_memory::read;
using vm_memory::read_word;

namespace {

// The walk from a Method* to its jmethodID is seven dependent reads through metaspace (ConstMethod, ConstantPool,
// InstanceKlass, its jmethodID array), most of them cache misses, for every Java frame of every sample: the most
// expensive part of a walk. Hot methods repeat, so the jmethodIDs found are remembered here, direct-mapped by
// Method* address. An entry is only a hint: it is used when the jmethodID's slot holds that very Method* now,
// which is the same test the full walk ends with (see java_walk.h), so a stale entry (a method freed, its
// memory or its jmethodID's slot reused) can only miss, never name another method. Relaxed atomics: handlers on
// two threads may race on an entry, and then one of them wins or the next lookup misses.
constexpr uintptr_t kCachedIds = 4096;  // 32 KB; a few thousand hot methods is a large service
static_assert(std::atomic<uintptr_t>::is_always_lock_free, "read and written inside signal handlers");
std::atomic<uintptr_t> g_cached_ids[kCachedIds];

std::atomic<uintptr_t>& cached_id_slot(uintptr_t method) {
    // Method* values are word-aligned and metaspace-allocated close together: mix the bits above the alignment.
    uintptr_t mixed = (method >> 3) ^ (method >> 15);
    return g_cached_ids[mixed & (kCachedIds - 1)];
}

jmethodID method_id_from_class(const VmLayout& layout, uintptr_t method) {
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

}  // namespace

// Method* to jmethodID (see java_walk.h for why this cannot name the wrong method); 0 when the class has no
// jmethodID for it (yet) or the structures do not agree.
jmethodID method_id(const VmLayout& layout, uintptr_t method) {
    if (!aligned(method)) return nullptr;
    // Without slots that hold the Method*, a remembered id could not be checked: always the full walk.
    if (!layout.jmethod_id_is_method_slot) return method_id_from_class(layout, method);
    std::atomic<uintptr_t>& slot = cached_id_slot(method);
    uintptr_t cached = slot.load(std::memory_order_relaxed);
    if (aligned(cached) && read_word(cached) == method) return reinterpret_cast<jmethodID>(cached);
    jmethodID id = method_id_from_class(layout, method);
    if (id != nullptr) slot.store(reinterpret_cast<uintptr_t>(id), std::memory_order_relaxed);
    return id;
}

bool is_native_method(const VmLayout& layout, uintptr_t method) {
    return (read<uint16_t>(method + layout.method_access_flags) & layout.access_native) != 0;
}

}  // namespace hotframe
