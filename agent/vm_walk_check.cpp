#include "agent/vm_walk_check.h"

#include <setjmp.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "native/capture/fault_guard.h"
#include "native/capture/java_walk.h"
#include "native/symbols/vm_structs.h"

namespace hotframe {

namespace {

constexpr int kMaxCheckedFrames = 64;

}  // namespace

LocalReferences::LocalReferences(JNIEnv* jni) : jni_(jni), pushed_(jni->PushLocalFrame(64) == JNI_OK) {
    if (!pushed_) jni->ExceptionClear();  // the OutOfMemoryError of a failed push
}

LocalReferences::~LocalReferences() {
    if (pushed_) jni_->PopLocalFrame(nullptr);
}

std::string method_name(jvmtiEnv* jvmti, JNIEnv* jni, jmethodID method) {
    if (method == nullptr) return "(no jmethodID)";
    char* name = nullptr;
    jclass holder = nullptr;
    char* signature = nullptr;
    std::string text = "?";
    if (jvmti->GetMethodDeclaringClass(method, &holder) == JVMTI_ERROR_NONE && holder != nullptr) {
        if (jvmti->GetClassSignature(holder, &signature, nullptr) == JVMTI_ERROR_NONE && signature != nullptr) {
            text = signature;
            jvmti->Deallocate(reinterpret_cast<unsigned char*>(signature));
        }
        // JVMTI hands the class out as a JNI local reference of the calling thread.
        if (jni != nullptr) jni->DeleteLocalRef(holder);
    }
    if (jvmti->GetMethodName(method, &name, nullptr, nullptr) == JVMTI_ERROR_NONE && name != nullptr) {
        text += std::string(".") + name;
        jvmti->Deallocate(reinterpret_cast<unsigned char*>(name));
    }
    return text;
}

int jdk_feature_version(jvmtiEnv* jvmti) {
    char* value = nullptr;
    // The VM's own property ("17", "25"): JVMTI lists the VM's properties, not those the JDK sets from Java.
    if (jvmti->GetSystemProperty("java.vm.specification.version", &value) != JVMTI_ERROR_NONE || value == nullptr) {
        return 0;
    }
    // "17", "25"; "1.8" before JDK 9, which the walker does not support anyway.
    int version = std::atoi(value);
    jvmti->Deallocate(reinterpret_cast<unsigned char*>(value));
    return version;
}

namespace {

struct Walked {
    bool ok = false;
    std::vector<AgctFrame> frames;
};

// The walker on another thread, from its anchor, under the fault guard: a layout that is wrong may point
// anywhere, and that must end in "unusable", not in a crash.
Walked walk_other_thread(const VmLayout& layout, uintptr_t thread) {
    Walked walked;
    walked.frames.resize(kMaxCheckedFrames);
    auto tid = static_cast<pid_t>(gettid());
    sigjmp_buf recovery;
    volatile bool faulted = false;
    JavaWalk walk{};
    if (sigsetjmp(recovery, 1) != 0) {
        fault_guard::leave(tid);
        faulted = true;
    } else if (fault_guard::enter(tid, &recovery)) {
        walk = walk_java_stack(layout, thread, JavaWalkStart{}, walked.frames.data(), kMaxCheckedFrames);
        fault_guard::leave(tid);
    } else {
        faulted = true;
    }
    if (faulted || walk.status != kStatusOk) return walked;
    walked.frames.resize(static_cast<size_t>(walk.count));
    walked.ok = walk.truncated == 0;
    return walked;
}

struct JvmtiStack {
    bool ok = false;
    std::vector<jvmtiFrameInfo> frames;
};

JvmtiStack jvmti_stack(jvmtiEnv* jvmti, jthread thread) {
    JvmtiStack stack;
    stack.frames.resize(kMaxCheckedFrames);
    jint count = 0;
    stack.ok = jvmti->GetStackTrace(thread, 0, kMaxCheckedFrames, stack.frames.data(), &count) == JVMTI_ERROR_NONE &&
               count < kMaxCheckedFrames;
    stack.frames.resize(stack.ok ? static_cast<size_t>(count) : 0);
    return stack;
}

bool same_stack(const std::vector<jvmtiFrameInfo>& a, const std::vector<jvmtiFrameInfo>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); i++) {
        if (a[i].method != b[i].method || a[i].location != b[i].location) return false;
    }
    return true;
}

bool same_walk(const std::vector<AgctFrame>& a, const std::vector<AgctFrame>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); i++) {
        if (a[i].method != b[i].method || a[i].bci != b[i].bci) return false;
    }
    return true;
}

// The first difference between the walker and JVMTI, in words; empty when they agree. JVMTI gives a native
// method's frame location -1 where AsyncGetCallTrace's format (the walker's) has bci -3.
std::string difference(jvmtiEnv* jvmti, JNIEnv* jni, const std::vector<AgctFrame>& walked,
                       const std::vector<jvmtiFrameInfo>& expected) {
    size_t common = walked.size() < expected.size() ? walked.size() : expected.size();
    for (size_t i = 0; i < common; i++) {
        jlocation location = expected[i].location < 0 ? -3 : expected[i].location;
        if (walked[i].method != expected[i].method) {
            return "frame " + std::to_string(i) + " is " + method_name(jvmti, jni, walked[i].method) + ", JVMTI says " +
                   method_name(jvmti, jni, expected[i].method) +
                   " (interpreter frame slots, the anchor or the jmethodID lookup)";
        }
        if (walked[i].bci != location) {
            return "frame " + std::to_string(i) + " (" + method_name(jvmti, jni, expected[i].method) + ") has bci " +
                   std::to_string(walked[i].bci) + ", JVMTI says " + std::to_string(location) +
                   " (interpreter_frame_bcp_offset or ConstMethod's size)";
        }
    }
    if (walked.size() != expected.size()) {
        return std::to_string(walked.size()) + " frames, JVMTI says " + std::to_string(expected.size()) +
               " (frame linkage or entry frames)";
    }
    return "";
}

}  // namespace

VmWalkerCheck check_vm_walker(jvmtiEnv* jvmti, JNIEnv* jni, int hotspot_thread_key, VmLayout* layout) {
    VmWalkerCheck check;
    check.feature_version = jdk_feature_version(jvmti);
    if (hotspot_thread_key < 0 || jni == nullptr) {
        check.why = "HotSpot's thread key or JNI is not available";
        return check;
    }
    LocalReferences references(jni);
    const char* hidden = std::getenv("HOTFRAME_HIDE_VMSTRUCT");
    vm_structs::LayoutResult read = vm_structs::read_layout(check.feature_version, hidden ? hidden : "");
    *layout = read.layout;
    if (!layout->ready) {
        check.why = "layout entry missing: " + read.missing;
        return check;
    }
    jclass thread_class = jni->FindClass("java/lang/Thread");
    jfieldID eetop = thread_class != nullptr ? jni->GetFieldID(thread_class, "eetop", "J") : nullptr;
    if (eetop == nullptr) {
        jni->ExceptionClear();
        check.why = "java.lang.Thread.eetop not found";
        layout->ready = false;
        return check;
    }
    jint thread_count = 0;
    jthread* threads = nullptr;
    if (jvmti->GetAllThreads(&thread_count, &threads) != JVMTI_ERROR_NONE) {
        check.why = "JVMTI GetAllThreads failed";
        layout->ready = false;
        return check;
    }
    int agreed = 0, frames_compared = 0;
    std::string mismatch;
    for (jint i = 0; i < thread_count && mismatch.empty(); i++) {
        auto java_thread = static_cast<uintptr_t>(jni->GetLongField(threads[i], eetop));
        // Only threads that wait: their stacks hold still while both walks look at them. Asked first so that
        // JVMTI creates the jmethodIDs the walker looks up.
        jint state = 0;
        if (java_thread == 0 || jvmti->GetThreadState(threads[i], &state) != JVMTI_ERROR_NONE ||
            (state & (JVMTI_THREAD_STATE_WAITING | JVMTI_THREAD_STATE_BLOCKED_ON_MONITOR_ENTER)) == 0) {
            continue;
        }
        JvmtiStack before = jvmti_stack(jvmti, threads[i]);
        Walked first = walk_other_thread(*layout, java_thread);
        Walked second = walk_other_thread(*layout, java_thread);
        JvmtiStack after = jvmti_stack(jvmti, threads[i]);
        if (!before.ok || !after.ok || before.frames.size() < 2 || !same_stack(before.frames, after.frames)) continue;
        if (first.ok && second.ok && same_walk(first.frames, second.frames)) {
            std::string differs = difference(jvmti, jni, first.frames, before.frames);
            if (differs.empty()) {
                agreed++;
                frames_compared += static_cast<int>(before.frames.size());
            } else {
                mismatch = differs;
            }
        } else if (first.ok == second.ok && !first.ok) {
            mismatch = "the walker could not walk a waiting thread of " + std::to_string(before.frames.size()) +
                       " frames (anchor or frame linkage)";
        }
    }
    for (jint i = 0; i < thread_count; i++) jni->DeleteLocalRef(threads[i]);
    jvmti->Deallocate(reinterpret_cast<unsigned char*>(threads));
    if (!mismatch.empty()) {
        check.why = "self-walk disagrees with JVMTI: " + mismatch;
        check.worth_retrying = true;  // a waiting thread may have woken between the two walks
    } else if (agreed == 0) {
        check.why = "self-walk found no waiting Java thread to compare with JVMTI";
        check.worth_retrying = true;
    } else {
        check.usable = true;
        check.why = "self-walk of " + std::to_string(agreed) + " waiting threads (" + std::to_string(frames_compared) +
                    " frames) agreed with JVMTI";
    }
    layout->ready = check.usable;
    return check;
}

}  // namespace hotframe
