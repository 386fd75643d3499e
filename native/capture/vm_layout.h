// Signal-safe (plain data). Where HotSpot keeps what the Java stack walker reads: field offsets, type sizes and
// the addresses of a few statics, filled once at start by native/symbols/vm_structs.cpp from the tables libjvm.so
// exports for the serviceability agent, plus the version constants those tables do not carry. The handler only
// reads this struct; it is written before sampling accepts samples and never changed while it does.
#pragma once

#include <stdint.h>

#include "native/capture/code_kinds.h"

namespace hotframe {

// Where an nmethod keeps its debug information. JDK 17 keeps everything inside the blob (offsets from the
// nmethod's start); JDK 24 and 25 moved it out (JDK-8331087 "Move immutable nmethod data from CodeCache",
// JDK-8343789 "Move mutable nmethod data out of CodeCache"): PcDescs and scopes into a C-heap block at
// nmethod::_immutable_data, the metadata table after the relocations at CodeBlob::_mutable_data. Which one
// applies is seen in the tables (the fields exist or not); see vm_structs.cpp.
enum class NmethodDataLayout : uint8_t { kInBlob, kSeparateData };

// How the debug-info stream encodes an int (CompressedReadStream::read_int). JDK 17 uses Pack200's UNSIGNED5
// with all 256 byte values (192 "low" bytes); JDK 20 (JDK-8292758, "put support for UNSIGNED5 format into its
// own header file") excludes the zero byte, so every byte carries its digit plus one and there are 191 low bytes.
enum class StreamEncoding : uint8_t { kUnsigned5, kUnsigned5ExcludingZero };

struct VmLayout {
    bool ready;  // everything below was found and checked; the walker refuses to run otherwise

    // JavaThread
    uint32_t thread_state;  // JavaThread::_thread_state (int)
    uint32_t anchor_sp;     // JavaThread::_anchor + JavaFrameAnchor::_last_Java_sp
    uint32_t anchor_pc;     // ... _last_Java_pc
    uint32_t anchor_fp;     // ... _last_Java_fp
    uint32_t stack_base;    // JavaThread::_stack_base (highest address)
    uint32_t stack_size;    // JavaThread::_stack_size
    int32_t state_in_java;  // _thread_in_Java
    int32_t state_in_java_trans;

    // Code cache: the heaps' reserved ranges and segment maps, which HotSpot sets up before any agent runs and
    // never moves, copied at start so that the handler reads no GrowableArray.
    struct CodeHeap {
        uintptr_t low;     // VirtualSpace::_low_boundary of CodeHeap::_memory
        uintptr_t high;    // ... _high_boundary
        uintptr_t segmap;  // CodeHeap::_segmap's _low_boundary: one byte per segment
        uint32_t log2_segment;
    };
    static constexpr int kMaxCodeHeaps = 8;
    CodeHeap heaps[kMaxCodeHeaps];
    int heap_count;
    uintptr_t code_low;  // CodeCache::_low_bound .. _high_bound: every heap lies inside
    uintptr_t code_high;
    uint32_t heap_block_size;  // sizeof(HeapBlock): the blob starts after it
    uint32_t heap_block_used;  // HeapBlock::_header + Header::_used (bool)

    // Interpreter: AbstractInterpreter::_code's buffer, and the return address of the call stub (an entry frame)
    uintptr_t interpreter_low;
    uintptr_t interpreter_high;
    uintptr_t call_stub_return;
    int32_t entry_frame_call_wrapper_slot;  // frame::entry_frame_call_wrapper_offset: JavaCallWrapper* at fp[slot]
    uint32_t call_wrapper_anchor_sp;        // JavaCallWrapper::_anchor + JavaFrameAnchor::_last_Java_sp
    uint32_t call_wrapper_anchor_pc;
    uint32_t call_wrapper_anchor_fp;

    // CodeBlob and nmethod
    uint32_t blob_name;         // CodeBlob::_name
    int32_t blob_kind;          // CodeBlob::_kind (u1), -1 before JDK 23: then nmethods are named "nmethod"
    int32_t blob_kind_nmethod;  // CodeBlobKind::Nmethod
    // CodeBlob::_kind's value (JDK 23+) to our CodeKind (code_kinds.h), by HotSpot's number; kBufferBlob for the
    // numbers the tables do not name. Before JDK 23 the kind comes from the blob's name (code_cache.cpp).
    static constexpr int kMaxBlobKinds = 16;
    CodeKind code_kind_by_blob_kind[kMaxBlobKinds];
    uint32_t blob_size;                 // CodeBlob::_size (int)
    uint32_t blob_frame_complete;       // CodeBlob::_frame_complete_offset
    uint8_t blob_frame_complete_width;  // 4 (int) on JDK 17, 2 (int16_t) on JDK 23+
    uint32_t blob_frame_size;           // CodeBlob::_frame_size (int, in words)
    int32_t blob_code_begin;            // CodeBlob::_code_begin (address), or -1 when ...
    int32_t blob_code_offset;           // ... CodeBlob::_code_offset (int) gives it from the blob's start
    int32_t blob_mutable_data;          // CodeBlob::_mutable_data (address), JDK 23+
    int32_t blob_relocation_size;       // CodeBlob::_relocation_size (int), JDK 23+
    uint32_t nmethod_method;            // nmethod::_method (CompiledMethod::_method on JDK 17)
    uint32_t nmethod_comp_level;        // nmethod::_comp_level (int, or a one-byte enum on JDK 23+)
    uint8_t nmethod_comp_level_width;
    NmethodDataLayout nmethod_data;
    int32_t nmethod_immutable_data;  // nmethod::_immutable_data (kSeparateData)
    uint32_t nmethod_pcs_begin;      // nmethod::_scopes_pcs_offset (int)
    uint32_t nmethod_pcs_end;        // _dependencies_offset (kInBlob) or _scopes_data_offset (kSeparateData)
    uint32_t nmethod_scopes_data;    // CompiledMethod::_scopes_data_begin (address, kInBlob) or _scopes_data_offset
    int32_t nmethod_metadata;        // nmethod::_metadata_offset (int, kInBlob)
    // A frame being deoptimized returns into its nmethod's deopt handler; its own pc is then saved in the frame,
    // at unextended sp + the int the nmethod holds at _orig_pc_offset.
    int32_t nmethod_deopt_handler;     // CompiledMethod::_deopt_handler_begin (address, JDK 17) or ...
    int32_t nmethod_deopt_mh_handler;  // ... _deopt_mh_handler_begin
    bool deopt_handler_is_offset;      // nmethod::_deopt_handler_offset, _deopt_mh_handler_offset (int, JDK 23+)
    uint32_t nmethod_orig_pc_offset;   // nmethod::_orig_pc_offset (int: the saved pc's offset in the frame)
    uint32_t pc_desc_size;             // sizeof(PcDesc)
    uint32_t pc_desc_pc_offset;        // PcDesc::_pc_offset
    uint32_t pc_desc_scope_offset;     // PcDesc::_scope_decode_offset
    StreamEncoding stream_encoding;
    int32_t invocation_entry_bci;  // InvocationEntryBci

    // Method, ConstMethod, ConstantPool, InstanceKlass
    uint32_t method_const_method;     // Method::_constMethod
    uint32_t method_access_flags;     // Method::_access_flags (low 16 bits are the class file's flags)
    uint32_t const_method_constants;  // ConstMethod::_constants
    uint32_t const_method_idnum;      // ConstMethod::_method_idnum (u2)
    uint32_t const_method_size;       // sizeof(ConstMethod): the bytecodes follow it
    uint32_t const_method_code_size;  // ConstMethod::_code_size (u2)
    uint32_t constant_pool_holder;    // ConstantPool::_pool_holder
    uint32_t klass_jmethod_ids;       // InstanceKlass::_methods_jmethod_ids

    // Continuations (JDK 19+; absent on 17: thread_cont_entry is -1 there). A mounted virtual thread runs on its
    // carrier's stack above Continuation.enterSpecial's frame, which holds a ContinuationEntry at its sp; the
    // thread's innermost entry is JavaThread::_cont_entry, outer ones follow ContinuationEntry::_parent.
    int32_t thread_cont_entry;          // JavaThread::_cont_entry (ContinuationEntry*), or -1
    uintptr_t cont_entry_return_pc_at;  // &ContinuationEntry::_return_pc: the return address into enterSpecial,
                                        // set once enterSpecial is generated (after start), so read when walking
    uint32_t cont_entry_size;           // ContinuationEntry::size(): sizeof aligned to 16; entry_fp = entry + size
    uint32_t cont_entry_parent;         // ContinuationEntry::_parent (version constant)

    // Interpreter frame slots, in words from fp (frame_x86.hpp; see the version table in vm_structs.cpp).
    int32_t interpreter_method_slot;
    int32_t interpreter_bcp_slot;
    bool interpreter_entry_method_in_rbx;  // while a method entry builds the frame (java_walk.cpp)
    int32_t interpreter_sender_sp_slot;    // frame::interpreter_frame_sender_sp_offset (from the tables)

    bool jmethod_id_is_method_slot;  // a jmethodID points at a word holding its Method* (checked at start)
    uint32_t access_native;          // ACC_NATIVE in Method::_access_flags
    uint8_t segmap_free;             // segment-map byte of a segment outside any block
};

}  // namespace hotframe
