// Signal-safe. HotSpot's code cache as the vm walker sees it: which CodeBlob holds a pc (through the code heaps'
// segment maps), whether that blob is an nmethod, and the blob fields that say where its code and frame begin.
// Reads VM memory: call under the fault guard.
#pragma once

#include <stdint.h>

#include "native/capture/vm_layout.h"

namespace hotframe {

namespace code_cache {

// The CodeBlob holding `pc`, or 0 when it is in none (a library, the interpreter's buffer, a free block).
uintptr_t find_blob(const VmLayout& layout, uintptr_t pc);

bool is_nmethod(const VmLayout& layout, uintptr_t blob);

// The blob's name ends with `suffix` (a literal of ours), e.g. one Runtime1 stub among the others.
bool blob_name_ends_with(const VmLayout& layout, uintptr_t blob, const char* suffix);

// The kind of code the blob holds, for the rule that walks it: kCompiledMethod for every nmethod (whether its
// method is native is the caller's to see), kCallStub never (the call stub is known by its return address).
CodeKind blob_code_kind(const VmLayout& layout, uintptr_t blob);

// The first instruction of the blob's code.
uintptr_t code_begin(const VmLayout& layout, uintptr_t blob);

// Just past the blob's last byte (CodeBlob::_size counts from the blob's start).
uintptr_t blob_end(const VmLayout& layout, uintptr_t blob);

// From code_begin: where the blob's frame is built (CodeBlob::_frame_complete_offset); a pc before it has not
// pushed its whole frame yet.
int frame_complete_offset(const VmLayout& layout, uintptr_t blob);

// The blob's frame size in words, return address included (0 for blobs without a frame of their own).
int frame_size_words(const VmLayout& layout, uintptr_t blob);

// The template interpreter's code: an interpreted frame.
inline bool in_interpreter(const VmLayout& layout, uintptr_t pc) {
    return pc >= layout.interpreter_low && pc < layout.interpreter_high;
}

}  // namespace code_cache

}  // namespace hotframe
