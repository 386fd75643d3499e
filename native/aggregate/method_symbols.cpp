#include "native/aggregate/method_symbols.h"

#include <cstring>

namespace hotframe {

namespace {

const std::string kUnloadedMethod = "[unloaded_method]";

class JvmtiString {
public:
    explicit JvmtiString(jvmtiEnv* jvmti) : jvmti_(jvmti) {}
    ~JvmtiString() {
        if (text != nullptr) jvmti_->Deallocate(reinterpret_cast<unsigned char*>(text));
    }
    JvmtiString(const JvmtiString&) = delete;
    JvmtiString& operator=(const JvmtiString&) = delete;

    char* text = nullptr;

private:
    jvmtiEnv* jvmti_;
};

}  // namespace

std::string java_class_name_from_signature(const char* signature) {
    size_t length = std::strlen(signature);
    std::string name;
    if (length >= 2 && signature[0] == 'L' && signature[length - 1] == ';') {
        name.assign(signature + 1, length - 2);
    } else {
        name.assign(signature, length);
    }
    // Hidden classes (lambdas) carry their address: "Foo$$Lambda$14/0x0000000800c0b448". It differs from run
    // to run, which would keep the same code apart when profiles are compared, so it is dropped.
    size_t address = name.rfind("/0x");
    if (address == std::string::npos) address = name.rfind(".0x");
    if (address != std::string::npos && address > 0) name.resize(address);
    for (char& c : name) {
        if (c == '/') c = '.';
    }
    return name;
}

const std::string& MethodSymbols::name_of(JNIEnv* jni, jmethodID method) {
    auto cached = names_.find(method);
    if (cached != names_.end()) return cached->second;

    jclass declaring_class = nullptr;
    if (jvmti_->GetMethodDeclaringClass(method, &declaring_class) != JVMTI_ERROR_NONE) return kUnloadedMethod;
    JvmtiString class_signature(jvmti_);
    JvmtiString method_name(jvmti_);
    JvmtiString method_signature(jvmti_);
    jvmtiError class_error = jvmti_->GetClassSignature(declaring_class, &class_signature.text, nullptr);
    jvmtiError method_error =
        jvmti_->GetMethodName(method, &method_name.text, signatures_ ? &method_signature.text : nullptr, nullptr);
    if (class_error == JVMTI_ERROR_NONE && method_error == JVMTI_ERROR_NONE && files_.count(method) == 0) {
        remember_source_file(method, declaring_class, class_signature.text);
    }
    if (jni != nullptr) jni->DeleteLocalRef(declaring_class);
    if (class_error != JVMTI_ERROR_NONE || method_error != JVMTI_ERROR_NONE) return kUnloadedMethod;

    std::string name = java_class_name_from_signature(class_signature.text);
    name.push_back('.');
    name.append(method_name.text);
    if (method_signature.text != nullptr) name.append(method_signature.text);
    return names_.emplace(method, std::move(name)).first->second;
}

const std::string& MethodSymbols::source_file_of(JNIEnv* jni, jmethodID method) {
    static const std::string kNone;
    auto cached = files_.find(method);
    if (cached != files_.end()) return cached->second;
    jclass declaring_class = nullptr;
    if (jvmti_->GetMethodDeclaringClass(method, &declaring_class) != JVMTI_ERROR_NONE) return kNone;
    JvmtiString class_signature(jvmti_);
    if (jvmti_->GetClassSignature(declaring_class, &class_signature.text, nullptr) == JVMTI_ERROR_NONE) {
        remember_source_file(method, declaring_class, class_signature.text);
    }
    if (jni != nullptr) jni->DeleteLocalRef(declaring_class);
    cached = files_.find(method);
    return cached != files_.end() ? cached->second : kNone;
}

void MethodSymbols::remember_source_file(jmethodID method, jclass declaring_class, const char* class_signature) {
    JvmtiString source_file(jvmti_);
    jvmtiError error = jvmti_->GetSourceFileName(declaring_class, &source_file.text);
    // A class without a SourceFile attribute (JVMTI_ERROR_ABSENT_INFORMATION) is remembered as such; on any
    // other error nothing is remembered and the next frame asks again.
    if (error == JVMTI_ERROR_ABSENT_INFORMATION) {
        files_.emplace(method, "");
        return;
    }
    if (error != JVMTI_ERROR_NONE) return;
    // "Ljava/util/regex/Pattern$Node;" -> "java/util/regex/" + "Pattern.java"
    std::string signature = class_signature;
    size_t slash = signature.rfind('/');
    std::string package = slash == std::string::npos || signature.size() < 2 ? "" : signature.substr(1, slash);
    files_.emplace(method, package + source_file.text);
}

}  // namespace hotframe
