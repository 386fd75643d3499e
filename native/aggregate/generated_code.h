// Names for pcs in code the JVM generated rather than loaded from a library: the interpreter, stubs and adapters
// (JVMTI DynamicCodeGenerated) and JIT-compiled methods (CompiledMethodLoad/Unload). A native stack walk that
// passes through such code, or a sample whose Java frames AsyncGetCallTrace could not walk, is named from here
// instead of "[jvm_generated_code]". Fed from JVMTI callbacks, read by the aggregator; thread-safe.
#pragma once

#include <jvmti.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace hotframe {

class GeneratedCode {
public:
    void add_stub(const void* address, jint length, const char* name);
    void add_method(jmethodID method, const void* address, jint length);
    void remove_method(const void* address);

    struct Owner {
        jmethodID method;  // a compiled method's, or nullptr for a stub
        std::string name;  // a stub's name (empty when not asked for)
        // Names this range and no other, ever (never reused, unlike addresses): a caller may cache what it
        // derived from the range under it.
        uint64_t range_serial;
    };
    // `with_name` false: the stub's name is not copied (a caller that already has what it needs by serial).
    std::optional<Owner> find(uintptr_t pc, bool with_name = true) const;

private:
    struct Range {
        uintptr_t end;
        jmethodID method;
        std::string name;
        uint64_t serial = 0;
    };
    void add(uintptr_t start, uintptr_t end, Range range);

    mutable std::mutex mutex_;
    std::map<uintptr_t, Range> ranges_;  // by start; ranges do not overlap (a newer one replaces older ones)
    uint64_t next_serial_ = 1;
};

}  // namespace hotframe
