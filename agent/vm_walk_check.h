// Decides, once per JVM, whether the Java stack walker over HotSpot's structures (cstack=vm) can run here: the
// layout tables must hold every entry it reads (vm_structs.h), and a self-walk must agree with JVMTI. The
// self-walk takes the JDK's own Java threads that wait in Java code at start (Reference Handler, Finalizer and
// the like: a known call chain through interpreted frames, native methods and the thread anchor), walks each
// from its anchor with the walker and asks JVMTI GetStackTrace for the same stack; any difference means
// AsyncGetCallTrace, with a log line that names it. Not signal-safe; needs JNI and JVMTI.
#pragma once

#include <jni.h>
#include <jvmti.h>

#include <string>

#include "native/capture/vm_layout.h"

namespace hotframe {

struct VmWalkerCheck {
    bool usable = false;
    int feature_version = 0;  // the JDK's, from java.vm.specification.version
    std::string why;          // what was missing or disagreed, or what the self-walk compared
    // The self-walk disagreed or had nothing to compare, which a thread waking at the wrong moment can cause: the
    // next session checks again. A missing layout entry does not change and is not retried.
    bool worth_retrying = false;
};

// The JDK's feature version (17, 25, ...), from java.vm.specification.version; 0 when unknown.
int jdk_feature_version(jvmtiEnv* jvmti);

// JNI local references made in its scope (classes, threads, the declaring classes JVMTI hands out for names)
// freed on every way out: the checks and their logs run on threads that live on (the attach listener, the
// aggregator, the VM init thread).
class LocalReferences {
public:
    explicit LocalReferences(JNIEnv* jni);
    ~LocalReferences();
    LocalReferences(const LocalReferences&) = delete;
    LocalReferences& operator=(const LocalReferences&) = delete;

private:
    JNIEnv* jni_;
    bool pushed_;
};

// "Ljava/lang/String;.indexOf" for the logs; "(no jmethodID)" or "?" when JVMTI cannot name it. Frees the
// declaring class's local reference (with `jni`; null leaves it to the caller's LocalReferences).
std::string method_name(jvmtiEnv* jvmti, JNIEnv* jni, jmethodID method);

// Fills `layout` and checks it. HOTFRAME_HIDE_VMSTRUCT=Type::field hides one table entry (a test hook).
VmWalkerCheck check_vm_walker(jvmtiEnv* jvmti, JNIEnv* jni, int hotspot_thread_key, VmLayout* layout);

}  // namespace hotframe
