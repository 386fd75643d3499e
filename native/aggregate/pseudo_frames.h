// Pseudo-frames: the bracketed frames that say what a sample's stack does not ("[GC_active]", "[truncated]",
// "[running]", "[unknown_Java: vtable/itable stub]"), their names, and a cache of their frame ids. Nearly every
// sample carries one or two, and their names are constants: looking each up by its text (a string built and
// hashed per sample) would cost more than the rest of the sample's frames.
#pragma once

#include <cstdint>
#include <string>

#include "native/aggregate/call_trace_table.h"
#include "native/aggregate/flat_id_map.h"
#include "native/capture/sample_record.h"

namespace hotframe {

// "[GC_active]" and friends: the pseudo-frame that stands for a sample without Java frames.
const char* status_frame_name(int32_t status);

// A failed walk's pseudo-frame (`pseudo_frame`, "[unknown_Java]") with the kind of code the vm walker stopped in,
// when it says one: "[unknown_Java: vtable/itable stub]", "[broken_java: I2C/C2I adapter]".
std::string walk_failure_name(const char* pseudo_frame, const SampleHeader& header);
std::string walk_failure_name(const char* pseudo_frame, uint8_t walk_code_kind);

// "[running]", "[sleeping]": the leaf frame of a wall-clock sample.
const char* run_state_frame_name(uint8_t state);

// The ids of pseudo-frames in one CallTraceTable, keyed by the address of their constant name, so that a hit
// neither builds nor hashes a string. An id is good until the table is cleared; the cache notices that by the
// table's generation and starts again. Past the table's memlimit a name not stored yet gets the over-limit frame,
// as intern_frame would give it until the next clear.
class PseudoFrameIds {
public:
    explicit PseudoFrameIds(CallTraceTable* table) : table_(table) {}

    // `name` must be a constant that lives as long as the program (a string literal, status_frame_name's).
    uint32_t constant(const char* name) { return walk_failure(name, 0); }
    // walk_failure_name(pseudo_frame, walk_code_kind)'s frame; `pseudo_frame` a constant as above.
    uint32_t walk_failure(const char* pseudo_frame, uint8_t walk_code_kind) {
        if (table_->generation() != generation_) start_again();
        uint64_t key = key_of(pseudo_frame, walk_code_kind);
        if (const uint32_t* found = ids_.find(key)) return *found;
        return intern(key, pseudo_frame, walk_code_kind);
    }

private:
    // User-space addresses on 64-bit Linux stay below 2^56 (47 or 48 bits, 52 with the largest address space),
    // so the code kind in the top byte never meets an address bit: the key is exact.
    static uint64_t key_of(const char* name, uint8_t walk_code_kind) {
        return reinterpret_cast<uintptr_t>(name) | (uint64_t{walk_code_kind} << 56);
    }
    uint32_t intern(uint64_t key, const char* pseudo_frame, uint8_t walk_code_kind);
    void start_again();

    CallTraceTable* table_;
    uint64_t generation_ = 0;
    FlatIdMap ids_;
};

}  // namespace hotframe
