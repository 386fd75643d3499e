// Signal-safe: called from the SIGPROF handler, under the fault guard.
#include "native/capture/code_cache.h"

#include "native/capture/vm_memory.h"

namespace hotframe {

namespace code_cache {

using vm_memory::read;
using vm_memory::read_word;

namespace {

constexpr int kMaxSegmentHops = 1 << 16;  // code heap segment map hops to a block's start

// `name` begins with `prefix`; both NUL-terminated, `prefix` a literal of ours.
bool starts_with(const char* name, const char* prefix) {
    for (; *prefix != '\0'; name++, prefix++) {
        if (*name != *prefix) return false;
    }
    return true;
}

// `name` ends with `suffix`; names are short, and a longer one is taken as not matching.
bool ends_with(const char* name, const char* suffix) {
    constexpr int kMaxName = 256;
    int length = 0, suffix_length = 0;
    while (length < kMaxName && name[length] != '\0') length++;
    while (suffix[suffix_length] != '\0') suffix_length++;
    if (length == kMaxName || length < suffix_length) return false;
    return starts_with(name + length - suffix_length, suffix);
}

// Before JDK 23 a blob says what it is only through its C++ class (a vtable we cannot name from a signal
// handler) and its name, which HotSpot gives each kind when it creates it: these are the names of JDK 17's
// singleton and buffer blobs (codeBlob.cpp, sharedRuntime.cpp, vtableStubs.cpp, methodHandles.cpp).
CodeKind code_kind_from_name(const VmLayout& layout, uintptr_t blob, const char* name) {
    struct Named {
        const char* prefix;
        CodeKind kind;
    };
    constexpr Named kNames[] = {
        {"nmethod", CodeKind::kCompiledMethod},
        {"native nmethod", CodeKind::kCompiledMethod},
        {"StubRoutines", CodeKind::kStubRoutines},
        {"I2C/C2I adapters", CodeKind::kAdapter},
        {"vtable chunks", CodeKind::kVtableStub},
        {"MethodHandles adapters", CodeKind::kMethodHandleAdapter},
        {"SafepointBlob", CodeKind::kSafepointBlob},
        {"DeoptimizationBlob", CodeKind::kDeoptimizationBlob},
        {"UncommonTrapBlob", CodeKind::kUncommonTrapBlob},
        {"ExceptionBlob", CodeKind::kExceptionBlob},
    };
    for (const Named& named : kNames) {
        if (starts_with(name, named.prefix)) return named.kind;
    }
    // The rest are runtime stubs (C1's "... Runtime1 stub", C2's "_..._Java", the resolve and ic-miss blobs),
    // which all have a frame, and a few buffer blobs generated once at start (flush_icache_stub and the like).
    if (ends_with(name, "Runtime1 stub") || frame_size_words(layout, blob) > 0) return CodeKind::kRuntimeStub;
    return CodeKind::kBufferBlob;
}

}  // namespace

// The CodeBlob holding `pc`, or 0: the segment map tells the start of the heap block holding each segment (a
// byte per segment: 0 at a block's first segment, else how many segments to step back; segmap_free outside any
// block).
uintptr_t find_blob(const VmLayout& layout, uintptr_t pc) {
    if (pc < layout.code_low || pc >= layout.code_high) return 0;
    for (int h = 0; h < layout.heap_count; h++) {
        const VmLayout::CodeHeap& heap = layout.heaps[h];
        if (pc < heap.low || pc >= heap.high) continue;
        uintptr_t segment = (pc - heap.low) >> heap.log2_segment;
        uint8_t hop = read<uint8_t>(heap.segmap + segment);
        if (hop == layout.segmap_free) return 0;
        for (int i = 0; hop != 0; i++) {
            if (i == kMaxSegmentHops || hop > segment) return 0;
            segment -= hop;
            hop = read<uint8_t>(heap.segmap + segment);
        }
        uintptr_t block = heap.low + (segment << heap.log2_segment);
        // HeapBlock::_header._used is a C++ bool; read as a byte, since a bool holding anything but 0 or 1 (a
        // torn or reused block) is undefined behaviour to the compiler.
        if (read<uint8_t>(block + layout.heap_block_used) == 0) return 0;
        return block + layout.heap_block_size;
    }
    return 0;
}

bool is_nmethod(const VmLayout& layout, uintptr_t blob) {
    if (layout.blob_kind >= 0) return read<uint8_t>(blob + layout.blob_kind) == layout.blob_kind_nmethod;
    // Before JDK 23 an nmethod is known by its name: "nmethod", or "native nmethod" for a native method's wrapper.
    const char* name = read<const char*>(blob + layout.blob_name);
    if (name == nullptr) return false;
    const char native_prefix[] = "native ";
    if (name[0] == 'n' && name[1] == 'a') {
        for (unsigned i = 0; i + 1 < sizeof(native_prefix); i++) {
            if (name[i] != native_prefix[i]) return false;
        }
        name += sizeof(native_prefix) - 1;
    }
    const char expected[] = "nmethod";
    for (unsigned i = 0; i < sizeof(expected); i++) {
        if (name[i] != expected[i]) return false;
    }
    return true;
}

bool blob_name_ends_with(const VmLayout& layout, uintptr_t blob, const char* suffix) {
    const char* name = read<const char*>(blob + layout.blob_name);
    return name != nullptr && ends_with(name, suffix);
}

CodeKind blob_code_kind(const VmLayout& layout, uintptr_t blob) {
    const char* name = read<const char*>(blob + layout.blob_name);
    if (layout.blob_kind >= 0) {
        uint8_t value = read<uint8_t>(blob + layout.blob_kind);
        CodeKind kind = value < VmLayout::kMaxBlobKinds ? layout.code_kind_by_blob_kind[value] : CodeKind::kBufferBlob;
        // StubRoutines' buffers are plain buffer blobs in the kinds too; their names still tell them.
        if (kind == CodeKind::kBufferBlob && name != nullptr && starts_with(name, "StubRoutines")) {
            return CodeKind::kStubRoutines;
        }
        return kind;
    }
    if (name == nullptr) return CodeKind::kBufferBlob;
    return code_kind_from_name(layout, blob, name);
}

uintptr_t code_begin(const VmLayout& layout, uintptr_t blob) {
    if (layout.blob_code_begin >= 0) return read_word(blob + layout.blob_code_begin);
    return blob + read<int32_t>(blob + layout.blob_code_offset);
}

uintptr_t blob_end(const VmLayout& layout, uintptr_t blob) {
    return blob + static_cast<uintptr_t>(read<int32_t>(blob + layout.blob_size));
}

int frame_complete_offset(const VmLayout& layout, uintptr_t blob) {
    if (layout.blob_frame_complete_width == 2) return read<int16_t>(blob + layout.blob_frame_complete);
    return read<int32_t>(blob + layout.blob_frame_complete);
}

int frame_size_words(const VmLayout& layout, uintptr_t blob) { return read<int32_t>(blob + layout.blob_frame_size); }

}  // namespace code_cache

}  // namespace hotframe
