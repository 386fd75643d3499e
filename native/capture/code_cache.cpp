// Signal-safe: called from the SIGPROF handler, under the fault guard.
#include "native/capture/code_cache.h"

#include "native/capture/vm_memory.h"

namespace hotframe {

namespace code_cache {

using vm_memory::read;
using vm_memory::read_word;

namespace {

constexpr int kMaxSegmentHops = 1 << 16;  // code heap segment map hops to a block's start

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
        if (!read<bool>(block + layout.heap_block_used)) return 0;
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

uintptr_t code_begin(const VmLayout& layout, uintptr_t blob) {
    if (layout.blob_code_begin >= 0) return read_word(blob + layout.blob_code_begin);
    return blob + read<int32_t>(blob + layout.blob_code_offset);
}

int frame_complete_offset(const VmLayout& layout, uintptr_t blob) {
    if (layout.blob_frame_complete_width == 2) return read<int16_t>(blob + layout.blob_frame_complete);
    return read<int32_t>(blob + layout.blob_frame_complete);
}

int frame_size_words(const VmLayout& layout, uintptr_t blob) { return read<int32_t>(blob + layout.blob_frame_size); }

}  // namespace code_cache

}  // namespace hotframe
