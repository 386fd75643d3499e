// What the JIT has compiled, from JVMTI CompiledMethodLoad/Unload, so that a Java frame can be labelled
// interpreted, JIT-compiled or inlined. AsyncGetCallTrace reports methods and bcis only, not how each frame
// runs, so the label is inferred: a frame whose caller's compiled code inlines it is "inlined", a method that
// has live compiled code is "compiled", anything else "interpreted". A method running in the interpreter
// while a compiled version exists (OSR, deoptimization) can be mislabelled; the name is always right.
#pragma once

#include <jvmti.h>

#include <cstdint>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

namespace hotframe {

class CompiledMethods {
public:
    // From the CompiledMethodLoad callback: `compile_info` is the jvmtiCompiledMethodLoadRecordHeader list.
    void on_load(jmethodID method, const void* code_address, const void* compile_info);
    void on_unload(jmethodID method, const void* code_address);

    enum class Kind : uint8_t { kInterpreted, kCompiled, kInlined };
    // The kind of each of `count` frames, `methods` innermost first (nullptr for an unknown frame), under one
    // lock: the aggregator asks for every frame of every sample.
    void classify(const jmethodID* methods, int count, Kind* kinds) const;

private:
    struct PairHash {
        size_t operator()(const std::pair<jmethodID, jmethodID>& edge) const {
            return std::hash<const void*>()(edge.first) * 31 + std::hash<const void*>()(edge.second);
        }
    };

    mutable std::mutex mutex_;
    std::unordered_map<jmethodID, int> compiled_count_;  // live compiled versions per method
    std::unordered_map<std::pair<jmethodID, jmethodID>, int, PairHash> inline_edges_;  // caller -> callee
    std::unordered_map<const void*, std::vector<std::pair<jmethodID, jmethodID>>> edges_by_code_;
};

}  // namespace hotframe
