#include "native/aggregate/record_frame_ids.h"

#include <optional>
#include <string>

#include "native/capture/native_stack.h"
#include "native/steady_clock.h"
#include "native/symbols/cpp_names.h"
#include "native/symbols/kernel_symbols.h"
#include "native/symbols/native_symbols.h"

namespace hotframe {

namespace {

// A frame's kind from what the vm walker saw.
FrameKind frame_kind_of(JavaFrameType type, int bci) {
    switch (type) {
        case kFrameInterpreted:
            return bci == -3 ? FrameKind::kNative : FrameKind::kInterpreted;
        case kFrameC1:
        case kFrameC2:
            return FrameKind::kJitCompiled;
        case kFrameInlined:
            return FrameKind::kInlined;
        case kFrameNative:
            return FrameKind::kNative;
        case kFrameUnknown:
        case kFrameFrozenContinuation:
            break;
    }
    return FrameKind::kInterpreted;
}

// A frame's kind as CompiledMethods infers it for AsyncGetCallTrace's frames.
FrameKind inferred_frame_kind(CompiledMethods::Kind kind, int bci) {
    if (bci == -3) return FrameKind::kNative;
    if (kind == CompiledMethods::Kind::kInlined) return FrameKind::kInlined;
    if (kind == CompiledMethods::Kind::kCompiled) return FrameKind::kJitCompiled;
    return FrameKind::kInterpreted;
}

}  // namespace

RecordFrameIds::RecordFrameIds(jvmtiEnv* jvmti, const CompiledMethods* compiled, CallTraceTable* table,
                               PseudoFrameIds* pseudo_frames, RecordFrameIdsSettings settings)
    : compiled_(compiled),
      table_(*table),
      pseudo_frame_ids_(*pseudo_frames),
      settings_(settings),
      symbols_(jvmti, settings.signatures),
      line_numbers_(jvmti) {}

void RecordFrameIds::clear() {
    symbols_.clear();
    line_numbers_.clear();
    frame_ids_.clear();
    line_frame_ids_.clear();
    native_frame_ids_.clear();
    function_frame_ids_.clear();
    stub_frame_ids_.clear();
    kernel_frame_ids_.clear();
}

uint32_t RecordFrameIds::java_frame_id(JNIEnv* jni, jmethodID method, FrameKind kind, int32_t bci) {
    uint64_t key = reinterpret_cast<uintptr_t>(method) ^ (static_cast<uint64_t>(kind) << 60);
    bool with_line = settings_.lines && bci >= 0;
    if (with_line) {
        auto found = line_frame_ids_.find(BciKey{key, bci});
        if (found != line_frame_ids_.end()) return found->second;
    } else {
        if (const uint32_t* found = frame_ids_.find(key)) return *found;
    }
    // Past memlimit a new method is neither named nor remembered: its frame would not be stored anyway.
    if (table_.over_limit()) return table_.over_limit_frame();
    // Elapsed and CPU time both: the JVMTI calls can wait for a safepoint to end, which costs time, not CPU.
    uint64_t started = steady_now_ns();
    uint64_t started_cpu = thread_cpu_now_ns();
    size_t frames_before = table_.frame_count();
    uint32_t id = name_java_frame(jni, method, kind, with_line ? bci : -1);
    // "[unloaded_method]" is not cached under the ID: the next sample naming it gets another try.
    if (table_.to_frame_name(id)[0] != '[') {
        if (with_line) {
            line_frame_ids_.emplace(BciKey{key, bci}, id);
            table_.count_cache_entry(sizeof(BciKey) + sizeof(id));
        } else {
            frame_ids_.insert(key, id);
            table_.count_cache_entry(sizeof(key) + sizeof(id));
        }
    }
    naming_cost_.lookups++;
    naming_cost_.frames += table_.frame_count() - frames_before;
    naming_cost_.nanoseconds += steady_now_ns() - started;
    naming_cost_.cpu_nanoseconds += thread_cpu_now_ns() - started_cpu;
    return id;
}

uint32_t RecordFrameIds::name_java_frame(JNIEnv* jni, jmethodID method, FrameKind kind, int32_t bci) {
    const std::string& name = symbols_.name_of(jni, method);
    if (name[0] == '[') return table_.intern_frame(name, kind);
    int32_t line = 0;
    if (bci >= 0) {
        uint64_t table_bytes = 0;
        size_t tables_before = line_numbers_.methods();
        line = line_numbers_.line_of(method, bci, &table_bytes);
        if (line_numbers_.methods() != tables_before) {
            naming_cost_.line_tables++;
            table_.count_cache_entry(table_bytes);
        }
    }
    uint32_t id = table_.intern_frame(name, kind, line);
    if (id != table_.over_limit_frame() && !table_.frame_has_file(id)) {
        table_.set_frame_file(id, symbols_.source_file_of(jni, method));
    }
    return id;
}

void RecordFrameIds::add_java_frames(JNIEnv* jni, const SampleHeader& header, std::vector<uint32_t>& frames) {
    const AgctFrame* raw = record_frames(&header);
    auto count = static_cast<size_t>(header.num_frames);
    // After the native frames above them, if any.
    size_t base = frames.size();
    frames.resize(base + count);
    scratch_methods_.resize(count);
    scratch_kinds_.resize(count);
    // The vm walker says how each frame ran; AsyncGetCallTrace does not, and then the kind is inferred.
    bool walked_types = count > 0 && raw[0].type != kFrameUnknown;
    if (!walked_types) {
        for (size_t i = 0; i < count; i++) scratch_methods_[i] = raw[i].method;
        compiled_->classify(scratch_methods_.data(), header.num_frames, scratch_kinds_.data());
    }
    for (size_t i = 0; i < count; i++) {
        jmethodID method = raw[i].method;
        if (method == nullptr) {
            // A walk by AsyncGetCallTrace clears `type`, so only the vm walker's pseudo-frame carries this kind.
            const char* name = walked_types && raw[i].type == kFrameFrozenContinuation ? "[continuation_frozen_frames]"
                                                                                       : "[unknown_frame]";
            frames[base + i] = pseudo_frame_ids_.constant(name);
            continue;
        }
        FrameKind kind = walked_types ? frame_kind_of(static_cast<JavaFrameType>(raw[i].type), raw[i].bci)
                                      : inferred_frame_kind(scratch_kinds_[i], raw[i].bci);
        frames[base + i] = java_frame_id(jni, method, kind, raw[i].bci);
    }
    if (header.truncated == kJavaWalkBroken) {
        frames.push_back(pseudo_frame_ids_.walk_failure("[broken_java]", header.walk_code_kind));
    } else if (header.truncated) {
        frames.push_back(pseudo_frame_ids_.constant("[truncated]"));
    }
}

void RecordFrameIds::add_kernel_frames(const SampleHeader& header, std::vector<uint32_t>& frames) {
    const AgctFrame* raw = record_frames(&header) + header.num_frames + header.native_count;
    for (int i = 0; i < header.kernel_count; i++) {
        auto address = reinterpret_cast<uintptr_t>(raw[i].method);
        uint64_t key = (static_cast<uint64_t>(address) << 1) | (i > 0 ? 1 : 0);
        if (const uint32_t* found = kernel_frame_ids_.find(key)) {
            frames.push_back(*found);
            continue;
        }
        if (table_.over_limit()) {
            frames.push_back(table_.over_limit_frame());
            continue;
        }
        // All but the innermost are return addresses: name the call, one byte back.
        std::string name = KernelSymbols::shared().resolve(i > 0 ? address - 1 : address);
        uint32_t id = table_.intern_frame(name, FrameKind::kKernel);
        kernel_frame_ids_.insert(key, id);
        table_.count_cache_entry(sizeof(key) + sizeof(uint32_t));
        frames.push_back(id);
    }
}

uint32_t RecordFrameIds::generated_code_frame_id(JNIEnv* jni, uintptr_t pc, uint32_t unnamed_id) {
    if (settings_.generated_code == nullptr) return unnamed_id;
    std::optional<GeneratedCode::Owner> owner = settings_.generated_code->find(pc, false);
    if (!owner) return unnamed_id;
    if (owner->method != nullptr) return java_frame_id(jni, owner->method, FrameKind::kJitCompiled);
    // A stub (the interpreter, call stubs) is in many samples: its frame is cached by its range's serial, so
    // that its name is neither copied nor hashed each time. A serial is never reused for other code.
    if (const uint32_t* found = stub_frame_ids_.find(owner->range_serial)) return *found;
    // Again with the name; the JVM may have replaced the range meanwhile.
    owner = settings_.generated_code->find(pc);
    if (!owner) return unnamed_id;
    if (owner->method != nullptr) return java_frame_id(jni, owner->method, FrameKind::kJitCompiled);
    uint32_t id = table_.intern_frame(owner->name, FrameKind::kNative);
    // Past memlimit a stub not stored yet is not remembered either, as for the other caches.
    if (id != table_.over_limit_frame()) {
        stub_frame_ids_.insert(owner->range_serial, id);
        table_.count_cache_entry(sizeof(owner->range_serial) + sizeof(id));
    }
    return id;
}

uint32_t RecordFrameIds::native_frame_id(uintptr_t pc, bool return_address) {
    // Samples interrupt busy native code (the JIT compilers) at a new pc nearly every time, and a Java thread's
    // native walk starts at a new pc in JIT-compiled code: naming each pc (a name copied, shortened and hashed)
    // cost more than the rest of the sample. Every pc of a function gets the same frame, so the function is
    // named once and its other pcs only search the symbol table; generated code gets its constant's frame.
    NativeSymbols::Function function = NativeSymbols::shared().function_at(pc, return_address);
    if (!function.in_object) return pseudo_frame_ids_.constant(NativeSymbols::kGeneratedCodeName);
    if (function.start != 0) {
        if (const uint32_t* found = function_frame_ids_.find(function.start)) return *found;
    }
    NativeSymbols::Resolved resolved = NativeSymbols::shared().resolve(pc, return_address);
    uint32_t id;
    if (resolved.kind != FrameKind::kCpp || settings_.signatures) {
        id = table_.intern_frame(resolved.name, resolved.kind);
    } else {
        std::string name = without_parameters(resolved.name);
        id = table_.intern_frame(name, resolved.kind);
        if (name != resolved.name) table_.add_frame_full_name(id, resolved.name);
    }
    if (function.start != 0) {
        function_frame_ids_.insert(function.start, id);
        table_.count_cache_entry(sizeof(function.start) + sizeof(id));
    }
    return id;
}

void RecordFrameIds::add_native_frames(JNIEnv* jni, const SampleHeader& header, std::vector<uint32_t>& frames) {
    const AgctFrame* raw = record_frames(&header) + header.num_frames;
    // Looked up only for samples with native frames: most samples have none.
    const uint32_t unnamed_code =
        header.native_count > 0 ? pseudo_frame_ids_.constant(NativeSymbols::kGeneratedCodeName) : 0;
    for (int i = 0; i < header.native_count; i++) {
        auto pc = reinterpret_cast<uintptr_t>(raw[i].method);
        bool return_address = i > 0;  // all but the interrupted pc point one past a call
        uint64_t key = (static_cast<uint64_t>(pc) << 1) | (return_address ? 1 : 0);
        const uint32_t* found = native_frame_ids_.find(key);
        if (found == nullptr && table_.over_limit()) {
            frames.push_back(table_.over_limit_frame());
            continue;
        }
        uint32_t id;
        if (found != nullptr) {
            id = *found;
        } else {
            id = native_frame_id(pc, return_address);
            native_frame_ids_.insert(key, id);
            // One entry per pc, not per function: in big native code these add up, so they count too.
            table_.count_cache_entry(sizeof(key) + sizeof(uint32_t));
        }
        // Generated code is looked up every time, not cached by pc: the JVM frees and reuses it.
        if (id == unnamed_code) id = generated_code_frame_id(jni, return_address ? pc - 1 : pc, id);
        frames.push_back(id);
    }
    // Callers are missing between these frames and the ones below (Java frames or the status frame): say so
    // where they are missing, so that such samples add up by kind instead of posing as complete.
    if (header.native_end == kWalkFull) {
        frames.push_back(pseudo_frame_ids_.constant("[truncated]"));
    } else if (header.native_end == kWalkFault) {
        frames.push_back(pseudo_frame_ids_.constant("[native_fault]"));
    } else if (header.native_end == kWalkBroken && (header.native_count > 0 || header.status == kStatusOk)) {
        frames.push_back(pseudo_frame_ids_.constant("[broken_native]"));
    }
}

}  // namespace hotframe
