#include "native/aggregate/compiled_methods.h"

#include <jvmticmlr.h>

#include <algorithm>

namespace hotframe {

namespace {

// Every caller -> callee pair that the compiled code's debug information shows inlined. PCStackInfo lists the
// virtual frames at a pc innermost first, so methods[i + 1] inlined methods[i].
std::vector<std::pair<jmethodID, jmethodID>> inline_edges_of(const void* compile_info) {
    std::vector<std::pair<jmethodID, jmethodID>> edges;
    auto* header = static_cast<const jvmtiCompiledMethodLoadRecordHeader*>(compile_info);
    for (; header != nullptr; header = header->next) {
        if (header->kind != JVMTI_CMLR_INLINE_INFO) continue;
        auto* record = reinterpret_cast<const jvmtiCompiledMethodLoadInlineRecord*>(header);
        for (jint pc = 0; pc < record->numpcs; pc++) {
            const PCStackInfo& info = record->pcinfo[pc];
            for (jint i = 0; i + 1 < info.numstackframes; i++) {
                edges.emplace_back(info.methods[i + 1], info.methods[i]);
            }
        }
    }
    std::sort(edges.begin(), edges.end());
    edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
    return edges;
}

}  // namespace

void CompiledMethods::on_load(jmethodID method, const void* code_address, const void* compile_info) {
    std::vector<std::pair<jmethodID, jmethodID>> edges = inline_edges_of(compile_info);
    std::lock_guard<std::mutex> lock(mutex_);
    // GenerateEvents replays code we may already have been told about; count each piece of code once.
    if (edges_by_code_.count(code_address) != 0) return;
    compiled_count_[method]++;
    for (const auto& edge : edges) inline_edges_[edge]++;
    edges_by_code_[code_address] = std::move(edges);
}

void CompiledMethods::on_unload(jmethodID method, const void* code_address) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto compiled = compiled_count_.find(method);
    if (compiled != compiled_count_.end() && --compiled->second <= 0) compiled_count_.erase(compiled);
    auto code = edges_by_code_.find(code_address);
    if (code == edges_by_code_.end()) return;
    for (const auto& edge : code->second) {
        auto found = inline_edges_.find(edge);
        if (found != inline_edges_.end() && --found->second <= 0) inline_edges_.erase(found);
    }
    edges_by_code_.erase(code);
}

void CompiledMethods::classify(const jmethodID* methods, int count, Kind* kinds) const {
    std::lock_guard<std::mutex> lock(mutex_);
    // From the root down, since "inlined" depends on the caller's compiled code.
    jmethodID caller = nullptr;
    bool caller_compiled = false;
    for (int i = count - 1; i >= 0; i--) {
        jmethodID method = methods[i];
        Kind kind = Kind::kInterpreted;
        if (method != nullptr) {
            if (caller_compiled && inline_edges_.count({caller, method}) != 0) {
                kind = Kind::kInlined;
            } else if (compiled_count_.count(method) != 0) {
                kind = Kind::kCompiled;
            }
        }
        kinds[i] = kind;
        caller = method;
        caller_compiled = method != nullptr && kind != Kind::kInterpreted;
    }
}

}  // namespace hotframe
