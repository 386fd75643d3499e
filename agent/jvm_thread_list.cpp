#include "agent/jvm_thread_list.h"

#include <atomic>
#include <string>

#include "agent/log.h"

namespace hotframe {

// Why the diagnostic command, and not HotSpot's structures read directly (gHotSpotVMStructs, as the stack
// walker could): a Java thread's name is a java.lang.String reached from its java.lang.Thread, both objects on
// the heap. A collector may move them at any moment when this thread is not in the VM (G1 at every safepoint;
// ZGC and Shenandoah concurrently, behind load barriers we cannot apply), so reading them from native code is
// reading memory that may have become something else. Thread.print runs inside the JVM at a safepoint, where
// nothing moves, and hands back one immutable String that JNI copies out safely. It is also, by definition,
// the names and ids jcmd shows. Its cost is a jstack's, so callers run it rarely (see Aggregator).
//
// How it is reached: the DiagnosticCommand MBean's operation threadPrint, the same command jcmd runs over the
// attach socket. The MBean object is taken from the JDK's own factory (jdk.management,
// DiagnosticCommandImpl.getDiagnosticCommandMBean; JNI is not bound by module exports), so that the platform
// MBean server is not created in the user's JVM: that would register two dozen MXBeans, load the JMX
// implementation and run a user's javax.management.builder.initial class. Only if that factory is gone (a
// future JDK) does it go through the documented way, ManagementFactory.getPlatformMBeanServer(). JmmInterface's
// ExecuteDiagnosticCommand (libjvm's JVM_GetManagement) would avoid Java code altogether, but its layout is in
// a private header that changes between releases.

namespace {

std::atomic<bool> g_warned{false};  // the log says once that the list is not available

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

std::string thread_print_text(JNIEnv* jni) {
    jobjectArray params = nullptr, signature = nullptr;
    if (!invocation_arguments(jni, &params, &signature)) return "";
    jstring operation = jni->NewStringUTF("threadPrint");
    if (failed(jni) || operation == nullptr) return "";
    jobject mbean = diagnostic_command_mbean(jni);
    jobject text = mbean != nullptr ? invoke_on_mbean(jni, mbean, operation, params, signature)
                                    : invoke_on_platform_server(jni, operation, params, signature);
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
