#include "agent/jvm_thread_list.h"

#include <dlfcn.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "agent/log.h"
#include "native/symbols/native_symbols.h"

namespace hotframe {

// Why the diagnostic command, and not HotSpot's structures read directly (gHotSpotVMStructs, as the stack
// walker could): a Java thread's name is a java.lang.String reached from its java.lang.Thread, both objects on
// the heap. A collector may move them at any moment when this thread is not in the VM (G1 at every safepoint;
// ZGC and Shenandoah concurrently, behind load barriers we cannot apply), so reading them from native code is
// reading memory that may have become something else. Thread.print runs inside the JVM at a safepoint, where
// nothing moves, and hands back one immutable String that JNI copies out safely. It is also, by definition,
// the names and ids jcmd shows. Its cost is a jstack's, so callers run it rarely (see Aggregator).
//
// How it is reached, in order:
// 1. libjvm's own entry for diagnostic commands, the function behind JmmInterface::ExecuteDiagnosticCommand
//    (what java.management's native code calls). JmmInterface's layout is in a private header that changes
//    between releases, so the slot is not assumed: JVM_GetManagement (exported) gives the table, and the slot
//    taken is the one whose pointer libjvm's symbol table names jmm_ExecuteDiagnosticCommand, a function whose
//    signature (JNIEnv*, jstring) -> jstring has not changed since JDK 8. No Java code runs: the command's
//    own cost only, where the route below adds 200-600 ms at JVM start-up on two busy cores (class loading and
//    initialisation, interpreted), during which the aggregator drains nothing.
// 2. Where libjvm has no symbol table: the DiagnosticCommand MBean's operation threadPrint, the MBean object
//    taken from the JDK's own factory (jdk.management's DiagnosticCommandImpl.getDiagnosticCommandMBean; JNI is
//    not bound by module exports) rather than from the platform MBean server, which would register two dozen
//    MXBeans in the user's JVM, load the JMX implementation and run a user's javax.management.builder.initial
//    class. Only if that factory is gone (a future JDK) does it use ManagementFactory.getPlatformMBeanServer().

namespace {

std::atomic<bool> g_warned{false};  // the log says once that the list is not available

using ExecuteDiagnosticCommand = jstring(JNICALL*)(JNIEnv*, jstring);
using GetManagement = void*(JNICALL*)(jint);

constexpr int kManagementSlotsSearched = 64;  // JmmInterface has about 40 function pointers

ExecuteDiagnosticCommand find_execute_diagnostic_command() {
    auto get_management = reinterpret_cast<GetManagement>(dlsym(RTLD_DEFAULT, "JVM_GetManagement"));
    if (get_management == nullptr) return nullptr;
    void* table = nullptr;
    // JMM_VERSION_4 (JDK 21), 3, 2, 1.0: the newest the JVM accepts; the slot is found by name whatever it is.
    for (jint version : {0x20040000, 0x20030000, 0x20020000, 0x20010000}) {
        table = get_management(version);
        if (table != nullptr) break;
    }
    if (table == nullptr) return nullptr;
    const auto* slots = static_cast<void* const*>(table);
    for (int i = 0; i < kManagementSlotsSearched; i++) {
        auto address = reinterpret_cast<uintptr_t>(slots[i]);
        if (address == 0) continue;
        std::string name = NativeSymbols::shared().resolve(address, false).name;
        if (name == "jmm_ExecuteDiagnosticCommand" || name.rfind("jmm_ExecuteDiagnosticCommand(", 0) == 0)
            return reinterpret_cast<ExecuteDiagnosticCommand>(address);
    }
    return nullptr;
}

// HOTFRAME_THREAD_LIST_VIA_MBEAN=1 (a test hook) takes the MBean route, so that the fallback is tested too.
bool mbean_route_forced() {
    const char* forced = std::getenv("HOTFRAME_THREAD_LIST_VIA_MBEAN");
    if (forced == nullptr || std::strcmp(forced, "1") != 0) return false;
    log().warn(
        "HOTFRAME_THREAD_LIST_VIA_MBEAN=1: the JVM's thread list through the DiagnosticCommand MBean (a test "
        "hook)");
    return true;
}

ExecuteDiagnosticCommand execute_diagnostic_command() {
    static const ExecuteDiagnosticCommand found = mbean_route_forced() ? nullptr : find_execute_diagnostic_command();
    return found;
}

// Clears a pending exception; true if there was one.
bool failed(JNIEnv* jni) {
    if (!jni->ExceptionCheck()) return false;
    jni->ExceptionClear();
    return true;
}

jobject diagnostic_command_mbean(JNIEnv* jni) {
    // The MBean's native half (libmanagement_ext) is loaded by the providers of the platform MXBeans: asking for
    // one of those sets them up, without creating an MBean server.
    jclass factory = jni->FindClass("java/lang/management/ManagementFactory");
    if (failed(jni) || factory == nullptr) return nullptr;
    jmethodID runtime_bean =
        jni->GetStaticMethodID(factory, "getRuntimeMXBean", "()Ljava/lang/management/RuntimeMXBean;");
    if (failed(jni) || runtime_bean == nullptr) return nullptr;
    jni->CallStaticObjectMethod(factory, runtime_bean);
    if (failed(jni)) return nullptr;
    jclass impl = jni->FindClass("com/sun/management/internal/DiagnosticCommandImpl");
    if (failed(jni) || impl == nullptr) return nullptr;
    jmethodID get =
        jni->GetStaticMethodID(impl, "getDiagnosticCommandMBean", "()Lcom/sun/management/DiagnosticCommandMBean;");
    if (failed(jni) || get == nullptr) return nullptr;
    jobject mbean = jni->CallStaticObjectMethod(impl, get);
    return failed(jni) ? nullptr : mbean;
}

// new Object[] {new String[0]} and new String[] {"[Ljava.lang.String;"}: threadPrint with no arguments, in
// the form DynamicMBean.invoke expects for an operation that takes options.
bool invocation_arguments(JNIEnv* jni, jobjectArray* params, jobjectArray* signature) {
    jclass string_class = jni->FindClass("java/lang/String");
    jclass object_class = jni->FindClass("java/lang/Object");
    if (failed(jni) || string_class == nullptr || object_class == nullptr) return false;
    jobjectArray options = jni->NewObjectArray(0, string_class, nullptr);
    jstring array_type = jni->NewStringUTF("[Ljava.lang.String;");
    if (failed(jni) || options == nullptr || array_type == nullptr) return false;
    *params = jni->NewObjectArray(1, object_class, options);
    *signature = jni->NewObjectArray(1, string_class, array_type);
    return !failed(jni) && *params != nullptr && *signature != nullptr;
}

jobject invoke_on_mbean(JNIEnv* jni, jobject mbean, jstring operation, jobjectArray params, jobjectArray signature) {
    jclass dynamic = jni->FindClass("javax/management/DynamicMBean");
    if (failed(jni) || dynamic == nullptr) return nullptr;
    jmethodID invoke = jni->GetMethodID(dynamic, "invoke",
                                        "(Ljava/lang/String;[Ljava/lang/Object;[Ljava/lang/String;)Ljava/lang/Object;");
    if (failed(jni) || invoke == nullptr) return nullptr;
    jobject result = jni->CallObjectMethod(mbean, invoke, operation, params, signature);
    return failed(jni) ? nullptr : result;
}

jobject invoke_on_platform_server(JNIEnv* jni, jstring operation, jobjectArray params, jobjectArray signature) {
    jclass factory = jni->FindClass("java/lang/management/ManagementFactory");
    jclass object_name = jni->FindClass("javax/management/ObjectName");
    jclass server_class = jni->FindClass("javax/management/MBeanServer");
    if (failed(jni) || factory == nullptr || object_name == nullptr || server_class == nullptr) return nullptr;
    jmethodID get_server =
        jni->GetStaticMethodID(factory, "getPlatformMBeanServer", "()Ljavax/management/MBeanServer;");
    jmethodID make_name = jni->GetMethodID(object_name, "<init>", "(Ljava/lang/String;)V");
    jmethodID invoke = jni->GetMethodID(
        server_class, "invoke",
        "(Ljavax/management/ObjectName;Ljava/lang/String;[Ljava/lang/Object;[Ljava/lang/String;)Ljava/lang/Object;");
    if (failed(jni) || get_server == nullptr || make_name == nullptr || invoke == nullptr) return nullptr;
    jobject server = jni->CallStaticObjectMethod(factory, get_server);
    if (failed(jni) || server == nullptr) return nullptr;
    jstring name_text = jni->NewStringUTF("com.sun.management:type=DiagnosticCommand");
    if (failed(jni) || name_text == nullptr) return nullptr;
    jobject name = jni->NewObject(object_name, make_name, name_text);
    if (failed(jni) || name == nullptr) return nullptr;
    jobject result = jni->CallObjectMethod(server, invoke, name, operation, params, signature);
    return failed(jni) ? nullptr : result;
}

std::string copy_of(JNIEnv* jni, jobject text) {
    if (text == nullptr) return "";
    const char* chars = jni->GetStringUTFChars(static_cast<jstring>(text), nullptr);
    if (chars == nullptr) {
        failed(jni);
        return "";
    }
    std::string copy = chars;
    jni->ReleaseStringUTFChars(static_cast<jstring>(text), chars);
    return copy;
}

std::string thread_print_text(JNIEnv* jni) {
    if (ExecuteDiagnosticCommand execute = execute_diagnostic_command()) {
        jstring command = jni->NewStringUTF("Thread.print");
        if (failed(jni) || command == nullptr) return "";
        jstring text = execute(jni, command);
        return failed(jni) ? "" : copy_of(jni, text);
    }
    jobjectArray params = nullptr, signature = nullptr;
    if (!invocation_arguments(jni, &params, &signature)) return "";
    jstring operation = jni->NewStringUTF("threadPrint");
    if (failed(jni) || operation == nullptr) return "";
    jobject mbean = diagnostic_command_mbean(jni);
    jobject text = mbean != nullptr ? invoke_on_mbean(jni, mbean, operation, params, signature)
                                    : invoke_on_platform_server(jni, operation, params, signature);
    return copy_of(jni, text);
}

}  // namespace

std::vector<ListedThread> list_jvm_threads(JNIEnv* jni) {
    if (jni == nullptr) return {};
    // Everything below makes local references: the frame frees them, and a pending exception must never reach
    // the caller's next JNI call.
    if (jni->PushLocalFrame(32) != JNI_OK) {
        failed(jni);
        return {};
    }
    std::string text = thread_print_text(jni);
    jni->PopLocalFrame(nullptr);
    std::vector<ListedThread> threads = parse_thread_print(text);
    if (threads.empty() && !g_warned.exchange(true)) {
        log().warn(
            "the JVM's thread list (Thread.print) is not available: JVM-internal threads keep their kernel "
            "names (at most 15 characters)");
    }
    return threads;
}

}  // namespace hotframe
