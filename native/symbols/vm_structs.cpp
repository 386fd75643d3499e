#include "native/symbols/vm_structs.h"

#include <string.h>

#include "native/symbols/vm_tables.h"

namespace hotframe {

namespace vm_structs {

namespace {

// What the tables do not carry, for x86-64, by JDK feature version. Each entry says which HotSpot change it
// follows; the self-walk at start (agent/vm_walk_check.cpp) checks the frame slots and the jmethodID
// representation against JVMTI, and the self-check mode (cstack=vm,vmcheck) the debug-info decoding.
struct VersionConstant {
    const char* name;
    int from_version;  // first JDK feature version it applies to
    int to_version;    // last one it is known to hold for
    int value;
    const char* change;
};

constexpr VersionConstant kVersionConstants[] = {
    // frame_x86.hpp: interpreter_frame_method_offset = last_sp - 1 = -3 words from fp; unchanged since the
    // mirror slot went in below it (JDK-8154580, "Save mirror in interpreter frame to enable cleanups of
    // CLDClaim", JDK 9).
    {"interpreter_frame_method_offset", 9, 25, -3, "JDK-8154580 (frame_x86.hpp)"},
    // frame_x86.hpp: bcp = locals - 1 = -8 words from fp, since the same change (mirror, then mdp, cache and
    // locals between method and bcp).
    {"interpreter_frame_bcp_offset", 9, 25, -8, "JDK-8154580 (frame_x86.hpp)"},
    // templateInterpreterGenerator_x86.cpp: a method entry (generate_normal_entry, generate_native_entry) gets
    // its Method* in rbx and keeps it there while generate_fixed_frame pushes the frame, the Method* slot among
    // the last; the same register since the template interpreter came to x86-64 (JDK 6), and still in 25.
    {"interpreter_entry_method_in_rbx", 9, 25, 1, "templateInterpreterGenerator_x86.cpp (rbx: Method*)"},
    // compressedStream / unsigned5.hpp: how read_int decodes; see StreamEncoding.
    {"unsigned5_excludes_zero_byte", 20, 25, 1, "JDK-8292758 (unsigned5.hpp)"},
    {"unsigned5_excludes_zero_byte", 9, 19, 0, "compressedStream.hpp before JDK-8292758"},
    // method.cpp, JNIMethodBlock: a jmethodID is the address of a slot that holds its Method*, never freed while
    // the class lives; InstanceKlass::_methods_jmethod_ids[idnum + 1] caches it ([0] is the length).
    {"jmethod_id_is_method_slot", 9, 25, 1, "JNIMethodBlock (method.cpp)"},
    // accessFlags.hpp / jvm_constants: ACC_NATIVE, the class file's flag, in the low 16 bits of _access_flags.
    {"access_native", 9, 25, 0x0100, "JVM_ACC_NATIVE (classfile_constants.h)"},
    // heap.hpp: a segment-map byte is the number of segments back to its block's start (or a hop toward it);
    // 0xFF marks a segment that belongs to no block (free_sentinel).
    {"segmap_free_sentinel", 9, 25, 0xFF, "JDK-8223444 hops (heap.hpp, CodeHeap::find_start)"},
    // continuationEntry.hpp: ContinuationEntry::_parent is its first field (no cookie in product builds) since
    // continuations went in (JDK-8284161, "Implementation of Virtual Threads (Preview)", JDK 19).
    {"continuation_entry_parent_offset", 19, 25, 0, "JDK-8284161 (continuationEntry.hpp)"},
};

bool version_constant(int version, const char* name, int* value) {
    for (const VersionConstant& constant : kVersionConstants) {
        if (strcmp(constant.name, name) == 0 && version >= constant.from_version && version <= constant.to_version) {
            *value = constant.value;
            return true;
        }
    }
    return false;
}

// Collects the first missing name, so that one log line can name it.
class Reader {
public:
    Reader(const Tables& tables, int version, const std::string& hidden)
        : tables_(tables), version_(version), hidden_(hidden) {}

    uint32_t offset(const char* type, const char* name) {
        const FieldEntry* field = tables_.field(type, name);
        if (field == nullptr || field->offset > 0xffff) {
            note(std::string(type) + "::" + name);
            return 0;
        }
        return static_cast<uint32_t>(field->offset);
    }
    int32_t optional_offset(const char* type, const char* name) {
        const FieldEntry* field = tables_.field(type, name);
        return field == nullptr ? -1 : static_cast<int32_t>(field->offset);
    }
    bool has(const char* type, const char* name) { return tables_.field(type, name) != nullptr; }
    uint8_t width(const char* type, const char* name) {
        const FieldEntry* field = tables_.field(type, name);
        if (field == nullptr) return 0;
        const std::string& declared = field->type;
        if (declared == "int" || declared == "jint" || declared == "uint32_t" || declared == "u4") return 4;
        if (declared == "int16_t" || declared == "u2" || declared == "uint16_t") return 2;
        if (declared == "CompLevel" || declared == "u1" || declared == "int8_t" || declared == "signed char") return 1;
        note(std::string(type) + "::" + name + " (type " + declared + ")");
        return 0;
    }
    uintptr_t static_address(const char* type, const char* name) {
        const FieldEntry* field = tables_.field(type, name);
        if (field == nullptr || field->address == 0) {
            note(std::string(type) + "::" + name);
            return 0;
        }
        return field->address;
    }
    uint32_t size(const char* type) {
        uint64_t value = 0;
        if (!tables_.type_size(type, &value) || value == 0 || value > 0xffff) {
            note(std::string("sizeof(") + type + ")");
            return 0;
        }
        return static_cast<uint32_t>(value);
    }
    int32_t constant(const char* name) {
        int64_t value = 0;
        if (!tables_.int_constant(name, &value)) {
            note(name);
            return 0;
        }
        return static_cast<int32_t>(value);
    }
    // A constant that only some releases have: -1 without noting it missing.
    int64_t optional_constant(const char* name) {
        int64_t value = 0;
        return tables_.int_constant(name, &value) ? value : -1;
    }
    int32_t versioned(const char* name) {
        int value = 0;
        if (hidden_ == name || !version_constant(version_, name, &value)) {
            note(std::string(name) + " (version constant for JDK " + std::to_string(version_) + ")");
            return 0;
        }
        return value;
    }
    void note(const std::string& name) {
        if (missing_.empty()) missing_ = name;
    }
    const std::string& missing() const { return missing_; }

private:
    const Tables& tables_;
    int version_;
    const std::string& hidden_;
    std::string missing_;
};

void read_threads(Reader& reader, VmLayout& layout) {
    uint32_t anchor = reader.offset("JavaThread", "_anchor");
    layout.thread_state = reader.offset("JavaThread", "_thread_state");
    layout.anchor_sp = anchor + reader.offset("JavaFrameAnchor", "_last_Java_sp");
    layout.anchor_pc = anchor + reader.offset("JavaFrameAnchor", "_last_Java_pc");
    layout.anchor_fp = anchor + reader.offset("JavaFrameAnchor", "_last_Java_fp");
    layout.stack_base = reader.offset("JavaThread", "_stack_base");
    layout.stack_size = reader.offset("JavaThread", "_stack_size");
    layout.state_in_java = reader.constant("_thread_in_Java");
    layout.state_in_java_trans = reader.constant("_thread_in_Java_trans");
}

// The heaps are read once here: HotSpot reserves them before any agent code runs and never moves them.
void read_code_heaps(Reader& reader, VmLayout& layout) {
    uintptr_t heaps_at = reader.static_address("CodeCache", "_heaps");
    uintptr_t low_at = reader.static_address("CodeCache", "_low_bound");
    uintptr_t high_at = reader.static_address("CodeCache", "_high_bound");
    uint32_t length = reader.offset("GrowableArrayBase", "_len");
    uint32_t data = reader.offset("GrowableArray<int>", "_data");
    uint32_t memory = reader.offset("CodeHeap", "_memory");
    uint32_t segmap = reader.offset("CodeHeap", "_segmap");
    uint32_t log2 = reader.offset("CodeHeap", "_log2_segment_size");
    uint32_t low_boundary = reader.offset("VirtualSpace", "_low_boundary");
    uint32_t high_boundary = reader.offset("VirtualSpace", "_high_boundary");
    layout.heap_block_size = reader.size("HeapBlock");
    layout.heap_block_used = reader.offset("HeapBlock", "_header") + reader.offset("HeapBlock::Header", "_used");
    if (!reader.missing().empty()) return;
    layout.code_low = *reinterpret_cast<const uintptr_t*>(low_at);
    layout.code_high = *reinterpret_cast<const uintptr_t*>(high_at);
    uintptr_t array = *reinterpret_cast<const uintptr_t*>(heaps_at);
    if (array == 0) return reader.note("CodeCache::_heaps (empty)");
    int count = *reinterpret_cast<const int*>(array + length);
    auto heaps = *reinterpret_cast<const uintptr_t* const*>(array + data);
    if (count <= 0 || count > VmLayout::kMaxCodeHeaps) return reader.note("CodeCache::_heaps (count)");
    layout.heap_count = count;
    for (int i = 0; i < count; i++) {
        uintptr_t heap = heaps[i];
        VmLayout::CodeHeap& copy = layout.heaps[i];
        copy.low = *reinterpret_cast<const uintptr_t*>(heap + memory + low_boundary);
        copy.high = *reinterpret_cast<const uintptr_t*>(heap + memory + high_boundary);
        copy.segmap = *reinterpret_cast<const uintptr_t*>(heap + segmap + low_boundary);
        copy.log2_segment = *reinterpret_cast<const uint32_t*>(heap + log2);
        if (copy.low >= copy.high || copy.segmap == 0 || copy.log2_segment == 0 || copy.log2_segment > 16) {
            return reader.note("CodeHeap (heap " + std::to_string(i) + " out of range)");
        }
    }
}

void read_interpreter(Reader& reader, VmLayout& layout) {
    uintptr_t code_at = reader.static_address("AbstractInterpreter", "_code");
    uint32_t buffer = reader.offset("StubQueue", "_stub_buffer");
    uint32_t limit = reader.offset("StubQueue", "_buffer_limit");
    uintptr_t call_stub_at = reader.static_address("StubRoutines", "_call_stub_return_address");
    if (!reader.missing().empty()) return;
    uintptr_t queue = *reinterpret_cast<const uintptr_t*>(code_at);
    if (queue == 0) return reader.note("AbstractInterpreter::_code (not yet generated)");
    layout.interpreter_low = *reinterpret_cast<const uintptr_t*>(queue + buffer);
    layout.interpreter_high = layout.interpreter_low + *reinterpret_cast<const int*>(queue + limit);
    layout.call_stub_return = *reinterpret_cast<const uintptr_t*>(call_stub_at);
    layout.entry_frame_call_wrapper_slot = reader.constant("frame::entry_frame_call_wrapper_offset");
    uint32_t anchor = reader.offset("JavaCallWrapper", "_anchor");
    layout.call_wrapper_anchor_sp = anchor + reader.offset("JavaFrameAnchor", "_last_Java_sp");
    layout.call_wrapper_anchor_pc = anchor + reader.offset("JavaFrameAnchor", "_last_Java_pc");
    layout.call_wrapper_anchor_fp = anchor + reader.offset("JavaFrameAnchor", "_last_Java_fp");
}

// JDK 23+ (CodeBlob::_kind came with the nmethod header reduction of JDK 23, see vm_layout.h): which of HotSpot's kind
// numbers is which of ours. A kind the tables do not export stays kBufferBlob: walked by the generic stub rule.
void read_blob_kinds(Reader& reader, VmLayout& layout) {
    for (CodeKind& kind : layout.code_kind_by_blob_kind) kind = CodeKind::kBufferBlob;
    if (layout.blob_kind < 0) return;
    struct Named {
        const char* constant;
        CodeKind kind;
    };
    constexpr Named kKinds[] = {
        {"CodeBlobKind::Nmethod", CodeKind::kCompiledMethod},
        {"CodeBlobKind::Buffer", CodeKind::kBufferBlob},
        {"CodeBlobKind::Adapter", CodeKind::kAdapter},
        {"CodeBlobKind::Vtable", CodeKind::kVtableStub},
        {"CodeBlobKind::MHAdapter", CodeKind::kMethodHandleAdapter},
        {"CodeBlobKind::RuntimeStub", CodeKind::kRuntimeStub},
        {"CodeBlobKind::Deoptimization", CodeKind::kDeoptimizationBlob},
        {"CodeBlobKind::Safepoint", CodeKind::kSafepointBlob},
        {"CodeBlobKind::Exception", CodeKind::kExceptionBlob},
        {"CodeBlobKind::UncommonTrap", CodeKind::kUncommonTrapBlob},
        {"CodeBlobKind::Upcall", CodeKind::kUpcallStub},
    };
    for (const Named& named : kKinds) {
        int64_t value = reader.optional_constant(named.constant);
        if (value >= 0 && value < VmLayout::kMaxBlobKinds) layout.code_kind_by_blob_kind[value] = named.kind;
    }
}

void read_code_blobs(Reader& reader, VmLayout& layout) {
    layout.blob_name = reader.offset("CodeBlob", "_name");
    layout.blob_size = reader.offset("CodeBlob", "_size");
    layout.blob_frame_complete = reader.offset("CodeBlob", "_frame_complete_offset");
    layout.blob_frame_complete_width = reader.width("CodeBlob", "_frame_complete_offset");
    layout.blob_frame_size = reader.offset("CodeBlob", "_frame_size");
    // JDK 23 gave CodeBlob a kind byte; before it, an nmethod is known by its name, "nmethod".
    layout.blob_kind = reader.optional_offset("CodeBlob", "_kind");
    layout.blob_kind_nmethod = layout.blob_kind >= 0 ? reader.constant("CodeBlobKind::Nmethod") : -1;
    read_blob_kinds(reader, layout);
    // JDK 17 keeps code_begin as an address; JDK 23+ as an offset from the blob.
    layout.blob_code_begin = reader.optional_offset("CodeBlob", "_code_begin");
    layout.blob_code_offset = reader.optional_offset("CodeBlob", "_code_offset");
    if (layout.blob_code_begin < 0 && layout.blob_code_offset < 0) reader.note("CodeBlob::_code_begin");

    const char* nmethod_type = reader.has("CompiledMethod", "_method") ? "CompiledMethod" : "nmethod";
    layout.nmethod_method = reader.offset(nmethod_type, "_method");
    layout.nmethod_comp_level = reader.offset("nmethod", "_comp_level");
    layout.nmethod_comp_level_width = reader.width("nmethod", "_comp_level");
    layout.nmethod_orig_pc_offset = reader.offset("nmethod", "_orig_pc_offset");
    // original_pc reads both as ints (an int in every release so far).
    if (reader.width("nmethod", "_orig_pc_offset") != 4) reader.note("nmethod::_orig_pc_offset (an int)");
    if (reader.width("CodeBlob", "_size") != 4) reader.note("CodeBlob::_size (an int)");
    layout.deopt_handler_is_offset = reader.has("nmethod", "_deopt_handler_offset");
    if (layout.deopt_handler_is_offset) {
        layout.nmethod_deopt_handler = static_cast<int32_t>(reader.offset("nmethod", "_deopt_handler_offset"));
        layout.nmethod_deopt_mh_handler = static_cast<int32_t>(reader.offset("nmethod", "_deopt_mh_handler_offset"));
    } else {
        layout.nmethod_deopt_handler = static_cast<int32_t>(reader.offset(nmethod_type, "_deopt_handler_begin"));
        layout.nmethod_deopt_mh_handler = static_cast<int32_t>(reader.offset(nmethod_type, "_deopt_mh_handler_begin"));
    }
    layout.pc_desc_size = reader.size("PcDesc");
    layout.pc_desc_pc_offset = reader.offset("PcDesc", "_pc_offset");
    layout.pc_desc_scope_offset = reader.offset("PcDesc", "_scope_decode_offset");
    layout.invocation_entry_bci = reader.constant("InvocationEntryBci");
    if (reader.has("nmethod", "_immutable_data")) {
        layout.nmethod_data = NmethodDataLayout::kSeparateData;
        layout.nmethod_immutable_data = static_cast<int32_t>(reader.offset("nmethod", "_immutable_data"));
        layout.nmethod_pcs_begin = reader.offset("nmethod", "_scopes_pcs_offset");
        layout.nmethod_pcs_end = reader.offset("nmethod", "_scopes_data_offset");
        layout.nmethod_scopes_data = layout.nmethod_pcs_end;
        layout.blob_mutable_data = static_cast<int32_t>(reader.offset("CodeBlob", "_mutable_data"));
        layout.blob_relocation_size = static_cast<int32_t>(reader.offset("CodeBlob", "_relocation_size"));
        layout.nmethod_metadata = -1;
    } else {
        layout.nmethod_data = NmethodDataLayout::kInBlob;
        layout.nmethod_immutable_data = -1;
        layout.nmethod_pcs_begin = reader.offset("nmethod", "_scopes_pcs_offset");
        layout.nmethod_pcs_end = reader.offset("nmethod", "_dependencies_offset");
        layout.nmethod_scopes_data = reader.offset(nmethod_type, "_scopes_data_begin");
        layout.nmethod_metadata = static_cast<int32_t>(reader.offset("nmethod", "_metadata_offset"));
        layout.blob_mutable_data = -1;
        layout.blob_relocation_size = -1;
    }
}

// Only where the JDK has continuations (JavaThread::_cont_entry exists): a JDK 17 layout is complete without them.
void read_continuations(Reader& reader, VmLayout& layout) {
    layout.thread_cont_entry = reader.optional_offset("JavaThread", "_cont_entry");
    if (layout.thread_cont_entry < 0) return;
    layout.cont_entry_return_pc_at = reader.static_address("ContinuationEntry", "_return_pc");
    // ContinuationEntry::size(): align_up(sizeof(ContinuationEntry), 2 * wordSize); the frame's fp is above it.
    layout.cont_entry_size = (reader.size("ContinuationEntry") + 15) & ~15u;
    layout.cont_entry_parent = static_cast<uint32_t>(reader.versioned("continuation_entry_parent_offset"));
}

void read_methods(Reader& reader, VmLayout& layout) {
    layout.method_const_method = reader.offset("Method", "_constMethod");
    layout.method_access_flags = reader.offset("Method", "_access_flags");
    layout.const_method_constants = reader.offset("ConstMethod", "_constants");
    layout.const_method_idnum = reader.offset("ConstMethod", "_method_idnum");
    layout.const_method_code_size = reader.offset("ConstMethod", "_code_size");
    layout.const_method_size = reader.size("ConstMethod");
    layout.constant_pool_holder = reader.offset("ConstantPool", "_pool_holder");
    layout.klass_jmethod_ids = reader.offset("InstanceKlass", "_methods_jmethod_ids");
}

}  // namespace

LayoutResult read_layout(int feature_version, const std::string& hidden) {
    LayoutResult result{};
    Tables tables;
    std::string missing;
    if (!tables.load(hidden, &missing)) {
        result.missing = missing;
        return result;
    }
    VmLayout& layout = result.layout;
    Reader reader(tables, feature_version, hidden);
    read_threads(reader, layout);
    read_code_heaps(reader, layout);
    read_interpreter(reader, layout);
    read_code_blobs(reader, layout);
    read_methods(reader, layout);
    read_continuations(reader, layout);
    layout.interpreter_sender_sp_slot = reader.constant("frame::interpreter_frame_sender_sp_offset");
    layout.interpreter_method_slot = reader.versioned("interpreter_frame_method_offset");
    layout.interpreter_bcp_slot = reader.versioned("interpreter_frame_bcp_offset");
    layout.interpreter_entry_method_in_rbx = reader.versioned("interpreter_entry_method_in_rbx") != 0;
    layout.stream_encoding = reader.versioned("unsigned5_excludes_zero_byte") != 0
                                 ? StreamEncoding::kUnsigned5ExcludingZero
                                 : StreamEncoding::kUnsigned5;
    layout.jmethod_id_is_method_slot = reader.versioned("jmethod_id_is_method_slot") != 0;
    layout.access_native = static_cast<uint32_t>(reader.versioned("access_native"));
    layout.segmap_free = static_cast<uint8_t>(reader.versioned("segmap_free_sentinel"));
    result.missing = reader.missing();
    layout.ready = result.missing.empty();
    return result;
}

}  // namespace vm_structs

}  // namespace hotframe
