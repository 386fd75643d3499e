// Names of Java classes as allocation and lock callbacks report them, each given a small number that fits in
// a sample record. Callbacks on many threads intern; the aggregator reads. Not for signal handlers (it locks).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hotframe {

class ClassNames {
public:
    ClassNames();

    // The id of a name, 1 or more; 0 is kept for "no class".
    uint32_t intern(std::string_view name);
    // The name of an id, or "[unknown_class]" for 0 and ids never handed out.
    std::string name_of(uint32_t id);

private:
    std::mutex mutex_;
    std::vector<std::string> names_;
    std::unordered_map<std::string, uint32_t> ids_;
};

// "Ljava/lang/String;" -> "java.lang.String", "[B" -> "byte[]", "[[Ljava/lang/Object;" -> "java.lang.Object[][]":
// a JVM type signature as a Java programmer writes the type.
std::string java_type_name(std::string_view signature);

}  // namespace hotframe
