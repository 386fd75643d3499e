// A sample record's frames as frame ids of the aggregator's CallTraceTable: its Java frames (named through JVMTI,
// with their kind and, with `lines`, their line), its native pcs (named by function from the objects' symbol
// tables, or as the JVM's generated code) and its kernel addresses. Naming is the expensive part of a sample, so
// each kind of frame is named once and remembered by what identifies it in a record (a jmethodID and kind, a pc,
// a function's start, a stub's range, a kernel address). Used by the aggregator thread only, under its lock.
#pragma once

#include <jni.h>
#include <jvmti.h>

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "native/aggregate/call_trace_table.h"
#include "native/aggregate/compiled_methods.h"
#include "native/aggregate/flat_id_map.h"
#include "native/aggregate/generated_code.h"
#include "native/aggregate/line_numbers.h"
#include "native/aggregate/method_symbols.h"
#include "native/aggregate/pseudo_frames.h"
#include "native/capture/sample_record.h"

namespace hotframe {

struct RecordFrameIdsSettings {
    bool signatures = false;                        // sig: C++ names with their parameters
    bool lines = false;                             // lines: a Java frame per (method, line)
    const GeneratedCode* generated_code = nullptr;  // names native pcs in the JVM's own code
};

class RecordFrameIds {
public:
    // What naming Java frames cost: the time spent on (method, kind[, bci]) pairs seen for the first time
    // (JVMTI names, source files, line tables, interning) and the distinct frames they made, since the start.
    struct NamingCost {
        uint64_t nanoseconds = 0;      // elapsed
        uint64_t cpu_nanoseconds = 0;  // of the aggregator thread's CPU time
        uint64_t lookups = 0;          // first sightings of a (method, kind[, bci])
        uint64_t frames = 0;           // distinct Java frames they made
        uint64_t line_tables = 0;      // methods whose line table was read
    };

    // `table` and `pseudo_frames` outlive this object; frame ids are theirs.
    RecordFrameIds(jvmtiEnv* jvmti, const CompiledMethods* compiled, CallTraceTable* table,
                   PseudoFrameIds* pseudo_frames, RecordFrameIdsSettings settings);

    // Each appends the record's frames of its kind to `frames`, leaf first, with the pseudo-frame that says where
    // a walk was cut or broke ([truncated], [native_fault], [broken_native], [broken_java]). A stack is built leaf
    // first, so the order of the calls is the stack's: kernel, then native (the frames above the Java ones), then
    // Java.
    void add_kernel_frames(const SampleHeader& header, std::vector<uint32_t>& frames);
    void add_native_frames(JNIEnv* jni, const SampleHeader& header, std::vector<uint32_t>& frames);
    void add_java_frames(JNIEnv* jni, const SampleHeader& header, std::vector<uint32_t>& frames);

    // Forgets every name and id: the table was cleared (a loop= interval was handed over).
    void clear();

    NamingCost naming_cost() const { return naming_cost_; }

private:
    // `bci` < 0: no line (a native method's frame, a pc in compiled code, or lines are off).
    uint32_t java_frame_id(JNIEnv* jni, jmethodID method, FrameKind kind, int32_t bci = -1);
    uint32_t name_java_frame(JNIEnv* jni, jmethodID method, FrameKind kind, int32_t bci);
    // A native pc's frame: its function's name, shortened unless settings_.signatures.
    uint32_t native_frame_id(uintptr_t pc, bool return_address);
    uint32_t generated_code_frame_id(JNIEnv* jni, uintptr_t pc, uint32_t unnamed_id);

    const CompiledMethods* compiled_;
    CallTraceTable& table_;
    PseudoFrameIds& pseudo_frame_ids_;
    RecordFrameIdsSettings settings_;

    MethodSymbols symbols_;
    LineNumbers line_numbers_;
    NamingCost naming_cost_;
    // Looked up once per frame of every sample: flat maps, not node-based ones (flat_id_map.h).
    FlatIdMap native_frame_ids_;    // (pc, is return address) -> frame id
    FlatIdMap function_frame_ids_;  // a native function's start (NativeSymbols::function_at) -> frame id
    FlatIdMap stub_frame_ids_;      // a generated-code stub's GeneratedCode range serial -> frame id
    FlatIdMap kernel_frame_ids_;    // kernel return address -> frame id
    FlatIdMap frame_ids_;           // (jmethodID | kind) -> frame id in table_
    struct BciKey {
        uint64_t method_kind;  // as frame_ids_'s key
        int32_t bci;
        bool operator==(const BciKey& other) const { return method_kind == other.method_kind && bci == other.bci; }
    };
    struct BciKeyHash {
        size_t operator()(const BciKey& key) const { return key.method_kind * 31 + static_cast<uint32_t>(key.bci); }
    };
    std::unordered_map<BciKey, uint32_t, BciKeyHash> line_frame_ids_;  // with lines: (method | kind, bci) -> id
    std::vector<jmethodID> scratch_methods_;                           // a record's methods, for classify
    std::vector<CompiledMethods::Kind> scratch_kinds_;
};

}  // namespace hotframe
