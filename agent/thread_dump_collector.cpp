#include "agent/thread_dump_collector.h"

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "agent/java_threads.h"
#include "agent/jvm_thread_list.h"
#include "native/aggregate/thread_list.h"

namespace hotframe {

namespace {

// The dump's content comes from java.lang.management's ThreadMXBean.dumpAllThreads(true, true), the JDK's own
// answer to "what holds what": it needs no JVMTI capability, so it works as well after an attach as at start
// (the JVMTI monitor functions need capabilities HotSpot grants only at start-up). JVMTI adds what the
// management API lacks: the kernel thread id and the finer thread state (parked, sleeping, in Object.wait).
struct ManagementApi {
    jclass management_factory, thread_info, stack_element, monitor_info, lock_info, enum_class, thread_class;
    jmethodID get_thread_bean, dump_all_threads;
    jmethodID thread_id, thread_name, thread_state, is_daemon, priority, stack_trace, locked_monitors, lock,
        lock_owner_id;
    jmethodID class_name, method_name, file_name, line_number, is_native;
    jmethodID locked_depth, lock_class, lock_identity, enum_name, get_id;

    bool load(JNIEnv* jni) {
        // Each lookup only if all before it succeeded: JNI must not be called with an exception pending.
        auto find = [jni](const char* name, jclass* out) {
            *out = jni->FindClass(name);
            return *out != nullptr;
        };
        jclass bean = nullptr;
        bool found = find("java/lang/management/ManagementFactory", &management_factory) &&
                     find("java/lang/management/ThreadInfo", &thread_info) &&
                     find("java/lang/StackTraceElement", &stack_element) &&
                     find("java/lang/management/MonitorInfo", &monitor_info) &&
                     find("java/lang/management/LockInfo", &lock_info) && find("java/lang/Enum", &enum_class) &&
                     find("java/lang/Thread", &thread_class) && find("java/lang/management/ThreadMXBean", &bean);
        if (!found) {
            jni->ExceptionClear();
            return false;
        }
        struct Lookup {
            jmethodID* out;
            jclass klass;
            const char* name;
            const char* signature;
        };
        const Lookup lookups[] = {
            {&dump_all_threads, bean, "dumpAllThreads", "(ZZ)[Ljava/lang/management/ThreadInfo;"},
            {&thread_id, thread_info, "getThreadId", "()J"},
            {&thread_name, thread_info, "getThreadName", "()Ljava/lang/String;"},
            {&thread_state, thread_info, "getThreadState", "()Ljava/lang/Thread$State;"},
            {&is_daemon, thread_info, "isDaemon", "()Z"},
            {&priority, thread_info, "getPriority", "()I"},
            {&stack_trace, thread_info, "getStackTrace", "()[Ljava/lang/StackTraceElement;"},
            {&locked_monitors, thread_info, "getLockedMonitors", "()[Ljava/lang/management/MonitorInfo;"},
            {&lock, thread_info, "getLockInfo", "()Ljava/lang/management/LockInfo;"},
            {&lock_owner_id, thread_info, "getLockOwnerId", "()J"},
            {&class_name, stack_element, "getClassName", "()Ljava/lang/String;"},
            {&method_name, stack_element, "getMethodName", "()Ljava/lang/String;"},
            {&file_name, stack_element, "getFileName", "()Ljava/lang/String;"},
            {&line_number, stack_element, "getLineNumber", "()I"},
            {&is_native, stack_element, "isNativeMethod", "()Z"},
            {&locked_depth, monitor_info, "getLockedStackDepth", "()I"},
            {&lock_class, lock_info, "getClassName", "()Ljava/lang/String;"},
            {&lock_identity, lock_info, "getIdentityHashCode", "()I"},
            {&enum_name, enum_class, "name", "()Ljava/lang/String;"},
            {&get_id, thread_class, "getId", "()J"},
        };
        for (const Lookup& lookup : lookups) {
            *lookup.out = jni->GetMethodID(lookup.klass, lookup.name, lookup.signature);
            if (*lookup.out == nullptr) {
                jni->ExceptionClear();
                return false;
            }
        }
        get_thread_bean =
            jni->GetStaticMethodID(management_factory, "getThreadMXBean", "()Ljava/lang/management/ThreadMXBean;");
        if (get_thread_bean == nullptr) jni->ExceptionClear();
        return get_thread_bean != nullptr;
    }
};

std::string string_of(JNIEnv* jni, jobject text) {
    if (text == nullptr) return "";
    const char* chars = jni->GetStringUTFChars(static_cast<jstring>(text), nullptr);
    std::string value = chars != nullptr ? chars : "";
    if (chars != nullptr) jni->ReleaseStringUTFChars(static_cast<jstring>(text), chars);
    jni->DeleteLocalRef(text);
    return value;
}

DumpedLock lock_of(JNIEnv* jni, const ManagementApi& api, jobject lock) {
    DumpedLock result;
    result.class_name = string_of(jni, jni->CallObjectMethod(lock, api.lock_class));
    result.identity = static_cast<uint32_t>(jni->CallIntMethod(lock, api.lock_identity));
    return result;
}

void collect_frames(JNIEnv* jni, const ManagementApi& api, jobject info, DumpedThread& dumped) {
    auto elements = static_cast<jobjectArray>(jni->CallObjectMethod(info, api.stack_trace));
    jsize count = elements != nullptr ? jni->GetArrayLength(elements) : 0;
    for (jsize i = 0; i < count; i++) {
        jobject element = jni->GetObjectArrayElement(elements, i);
        DumpedFrame frame;
        frame.method = string_of(jni, jni->CallObjectMethod(element, api.class_name)) + "." +
                       string_of(jni, jni->CallObjectMethod(element, api.method_name));
        frame.file = string_of(jni, jni->CallObjectMethod(element, api.file_name));
        frame.line = jni->CallIntMethod(element, api.line_number);
        frame.native = jni->CallBooleanMethod(element, api.is_native) == JNI_TRUE;
        if (frame.line < 0) frame.line = -1;
        dumped.frames.push_back(std::move(frame));
        jni->DeleteLocalRef(element);
    }
    auto monitors = static_cast<jobjectArray>(jni->CallObjectMethod(info, api.locked_monitors));
    jsize monitor_count = monitors != nullptr ? jni->GetArrayLength(monitors) : 0;
    for (jsize i = 0; i < monitor_count; i++) {
        jobject monitor = jni->GetObjectArrayElement(monitors, i);
        jint depth = jni->CallIntMethod(monitor, api.locked_depth);
        // A depth of -1 is a monitor taken by JNI MonitorEnter: shown at the innermost frame.
        size_t at = depth < 0 ? 0 : static_cast<size_t>(depth);
        if (at < dumped.frames.size()) dumped.frames[at].locked.push_back(lock_of(jni, api, monitor));
        jni->DeleteLocalRef(monitor);
    }
}

// The state comes from ThreadInfo and the flags from JVMTI a moment later; a detail that contradicts the state
// (the thread moved on in between) is left out rather than shown as "RUNNABLE (parking)".
void state_detail_of(jint flags, DumpedThread& dumped) {
    bool waiting = dumped.state == "WAITING" || dumped.state == "TIMED_WAITING";
    if (!waiting && dumped.state != "BLOCKED") return;
    if (dumped.state == "BLOCKED" && !(flags & JVMTI_THREAD_STATE_BLOCKED_ON_MONITOR_ENTER)) return;
    if (flags & (JVMTI_THREAD_STATE_BLOCKED_ON_MONITOR_ENTER | JVMTI_THREAD_STATE_IN_OBJECT_WAIT)) {
        dumped.state_detail = "on object monitor";
    } else if (flags & JVMTI_THREAD_STATE_PARKED) {
        dumped.state_detail = "parking";
    } else if (flags & JVMTI_THREAD_STATE_SLEEPING) {
        dumped.state_detail = "sleeping";
    }
}

void collect_wait(JNIEnv* jni, const ManagementApi& api, jobject info, jint flags, DumpedThread& dumped) {
    jobject lock = jni->CallObjectMethod(info, api.lock);
    if (lock == nullptr) return;
    dumped.waits_for = lock_of(jni, api, lock);
    jni->DeleteLocalRef(lock);
    bool parked_frame = !dumped.frames.empty() && dumped.frames[0].method.size() >= 11 &&
                        dumped.frames[0].method.compare(dumped.frames[0].method.size() - 11, 11, "Unsafe.park") == 0;
    if (dumped.state == "BLOCKED") {
        dumped.wait = WaitKind::kMonitorEnter;
    } else if (parked_frame || (flags & JVMTI_THREAD_STATE_PARKED)) {
        dumped.wait = WaitKind::kPark;
    } else {
        dumped.wait = WaitKind::kObjectWait;
    }
    jlong owner = jni->CallLongMethod(info, api.lock_owner_id);
    // The owner of a monitor someone waits on in Object.wait() is irrelevant: the waiter released it.
    if (dumped.wait != WaitKind::kObjectWait) dumped.lock_owner_java_id = owner;
}

// Java thread id -> (jthread, kernel thread id), from JVMTI.
struct JvmtiThread {
    jthread thread;
    pid_t native_id;
};

std::unordered_map<int64_t, JvmtiThread> jvmti_threads(jvmtiEnv* jvmti, JNIEnv* jni, const ManagementApi& api,
                                                       std::vector<pid_t>* matched) {
    std::unordered_map<int64_t, JvmtiThread> by_id;
    jint count = 0;
    jthread* threads = nullptr;
    if (jvmti->GetAllThreads(&count, &threads) != JVMTI_ERROR_NONE) return by_id;
    *matched = kernel_ids_of(jvmti, jni, threads, count);
    for (jint i = 0; i < count; i++) {
        jlong id = jni->CallLongMethod(threads[i], api.get_id);
        by_id[id] = JvmtiThread{threads[i], (*matched)[static_cast<size_t>(i)]};
    }
    jvmti->Deallocate(reinterpret_cast<unsigned char*>(threads));
    return by_id;
}

std::string jvm_description(jvmtiEnv* jvmti) {
    std::string description;
    for (const char* property : {"java.vm.name", "java.vm.version"}) {
        char* value = nullptr;
        if (jvmti->GetSystemProperty(property, &value) == JVMTI_ERROR_NONE && value != nullptr) {
            if (!description.empty()) description += " ";
            description += value;
        }
        if (value != nullptr) jvmti->Deallocate(reinterpret_cast<unsigned char*>(value));
    }
    return description;
}

Status collect_in_frame(jvmtiEnv* jvmti, JNIEnv* jni, ThreadDump* dump) {
    ManagementApi api{};
    if (!api.load(jni)) return Status::error("cannot use java.lang.management in this JVM");
    jobject bean = jni->CallStaticObjectMethod(api.management_factory, api.get_thread_bean);
    auto infos = bean != nullptr
                     ? static_cast<jobjectArray>(jni->CallObjectMethod(bean, api.dump_all_threads, JNI_TRUE, JNI_FALSE))
                     : nullptr;
    if (jni->ExceptionCheck() || infos == nullptr) {
        jni->ExceptionClear();
        return Status::error("ThreadMXBean.dumpAllThreads failed");
    }
    std::vector<pid_t> matched;
    std::unordered_map<int64_t, JvmtiThread> threads = jvmti_threads(jvmti, jni, api, &matched);
    dump->jvm = jvm_description(jvmti);
    jsize count = jni->GetArrayLength(infos);
    for (jsize i = 0; i < count; i++) {
        if (jni->PushLocalFrame(32) != JNI_OK) {
            jni->ExceptionClear();
            return Status::error("out of memory for JNI local references");
        }
        jobject info = jni->GetObjectArrayElement(infos, i);
        if (info != nullptr) {  // a thread that ended while the dump was taken
            DumpedThread dumped;
            dumped.java_id = jni->CallLongMethod(info, api.thread_id);
            dumped.name = string_of(jni, jni->CallObjectMethod(info, api.thread_name));
            jobject state = jni->CallObjectMethod(info, api.thread_state);
            dumped.state = string_of(jni, jni->CallObjectMethod(state, api.enum_name));
            dumped.daemon = jni->CallBooleanMethod(info, api.is_daemon) == JNI_TRUE;
            dumped.priority = jni->CallIntMethod(info, api.priority);
            jint flags = 0;
            auto jvmti_thread = threads.find(dumped.java_id);
            if (jvmti_thread != threads.end()) {
                dumped.native_id = jvmti_thread->second.native_id;
                jvmti->GetThreadState(jvmti_thread->second.thread, &flags);
            }
            state_detail_of(flags, dumped);
            collect_frames(jni, api, info, dumped);
            collect_wait(jni, api, info, flags, dumped);
            dump->threads.push_back(std::move(dumped));
        }
        // ThreadInfo's getters do not throw; should anything be pending, it must not reach the next call.
        if (jni->ExceptionCheck()) jni->ExceptionClear();
        jni->PopLocalFrame(nullptr);
    }
    // The threads JVMTI does not show, by the names the JVM gives them (jcmd's), taken now; a thread the JVM
    // does not know (a native library's own) or that started since keeps its kernel name.
    std::unordered_map<pid_t, std::string> jvm_names;
    for (ListedThread& listed : list_jvm_threads(jni)) jvm_names.emplace(listed.tid, std::move(listed.name));
    // An empty list means the command failed (a JVM always lists its VM thread), so nobody's owner is known.
    bool listed_by_jvm = !jvm_names.empty();
    std::unordered_set<pid_t> java_tids(matched.begin(), matched.end());
    for (pid_t tid : list_process_threads()) {
        if (java_tids.count(tid) != 0) continue;
        std::string kernel_name = kernel_thread_name(tid);
        auto named = jvm_names.find(tid);
        std::string name = named != jvm_names.end() ? named->second : kernel_name;
        OtherThread::Owner owner = !listed_by_jvm             ? OtherThread::Owner::kUnknown
                                   : named != jvm_names.end() ? OtherThread::Owner::kJvm
                                                              : OtherThread::Owner::kNotJvm;
        dump->other_threads.push_back(OtherThread{std::move(name), std::move(kernel_name), tid, owner});
    }
    return Status::ok();
}

}  // namespace

Status collect_thread_dump(jvmtiEnv* jvmti, JNIEnv* jni, ThreadDump* dump) {
    if (jni == nullptr) return Status::error("thread dumps need a thread attached to the JVM");
    // Everything below creates local references; the frame frees them all, however many threads there are.
    if (jni->PushLocalFrame(256) != JNI_OK) return Status::error("out of memory for JNI local references");
    Status collected = collect_in_frame(jvmti, jni, dump);
    jni->PopLocalFrame(nullptr);
    return collected;
}

}  // namespace hotframe
