// Names of Java methods for jmethodIDs taken from samples: `java.util.regex.Pattern.compile`. Runs off the
// signal path on a thread attached to the JVM. A jmethodID whose class has been unloaded is detected by JVMTI
// (JVMTI_ERROR_INVALID_METHODID) and named "[unloaded_method]"; nothing here trusts an ID blindly.
#pragma once

#include <jni.h>
#include <jvmti.h>

#include <string>
#include <unordered_map>

namespace hotframe {

class MethodSymbols {
public:
    // `signatures`: names carry the method's descriptor, "java.lang.String.indexOf(II)I", as async-profiler's
    // --sig gives them, so that overloads are told apart.
    explicit MethodSymbols(jvmtiEnv* jvmti, bool signatures = false) : jvmti_(jvmti), signatures_(signatures) {}

    // `jni` is the calling thread's JNIEnv, used to free the local class reference JVMTI hands out.
    const std::string& name_of(JNIEnv* jni, jmethodID method);
    // The method's source file with its package's path, "java/util/regex/Pattern.java", from the class's
    // SourceFile attribute; empty when the class has none or is gone. Cached per method: with lines, a method
    // is a frame per line, and each asks. name_of fills it too: every named frame asks for its file next, and
    // one look at the declaring class serves both (each JVMTI call allocates its answer).
    const std::string& source_file_of(JNIEnv* jni, jmethodID method);

    void clear() {
        names_.clear();
        files_.clear();
    }

private:
    // The source file from a class signature already fetched ("Ljava/util/regex/Pattern$Node;").
    void remember_source_file(jmethodID method, jclass declaring_class, const char* class_signature);

    jvmtiEnv* jvmti_;
    bool signatures_;
    std::unordered_map<jmethodID, std::string> names_;
    std::unordered_map<jmethodID, std::string> files_;
};

// "Ljava/util/Map$Entry;" -> "java.util.Map$Entry". Exposed for tests.
std::string java_class_name_from_signature(const char* signature);

}  // namespace hotframe
