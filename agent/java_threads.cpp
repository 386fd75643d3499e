#include "agent/java_threads.h"

#include <cstdint>
#include <limits>
#include <vector>

#include "native/aggregate/thread_list.h"
#include "native/steady_clock.h"

namespace hotframe {

namespace {

constexpr size_t kKernelNameLength = 15;  // TASK_COMM_LEN - 1

struct KernelThread {
    pid_t tid;
    std::string name;
    bool claimed;
};

int64_t thread_cpu_ns(pid_t tid) { return cpu_clock_ns(thread_cpu_clock(tid)); }

bool is_candidate(const KernelThread& kernel, const std::string& java_name) {
    if (kernel.claimed) return false;
    // The launcher's own thread runs main() and keeps the name of the executable.
    if (java_name == "main") return kernel.name == "java";
    return java_name.compare(0, kKernelNameLength, kernel.name) == 0;
}

}  // namespace

std::string java_thread_name(jvmtiEnv* jvmti, JNIEnv* jni, jthread thread) {
    jvmtiThreadInfo info{};
    if (jvmti->GetThreadInfo(thread, &info) != JVMTI_ERROR_NONE) return "";
    std::string name = info.name != nullptr ? info.name : "";
    if (info.name != nullptr) jvmti->Deallocate(reinterpret_cast<unsigned char*>(info.name));
    if (jni != nullptr) {
        if (info.thread_group != nullptr) jni->DeleteLocalRef(info.thread_group);
        if (info.context_class_loader != nullptr) jni->DeleteLocalRef(info.context_class_loader);
    }
    return name;
}

std::vector<pid_t> kernel_ids_of(jvmtiEnv* jvmti, JNIEnv* jni, const jthread* threads, jint count) {
    std::vector<KernelThread> kernel;
    for (pid_t tid : list_process_threads()) kernel.push_back({tid, kernel_thread_name(tid), false});
    std::vector<pid_t> ids(static_cast<size_t>(count), -1);
    for (jint i = 0; i < count; i++) {
        std::string name = java_thread_name(jvmti, jni, threads[i]);
        jlong java_cpu = -1;
        if (jvmti->GetThreadCpuTime(threads[i], &java_cpu) != JVMTI_ERROR_NONE) java_cpu = -1;
        KernelThread* best = nullptr;
        int64_t best_distance = std::numeric_limits<int64_t>::max();
        int candidates = 0;
        for (KernelThread& candidate : kernel) {
            if (!is_candidate(candidate, name)) continue;
            candidates++;
            int64_t distance = java_cpu < 0 ? 0 : thread_cpu_ns(candidate.tid) - java_cpu;
            if (distance < 0) distance = -distance;
            if (distance < best_distance) {
                best_distance = distance;
                best = &candidate;
            }
        }
        // Without a CPU time, only an unambiguous prefix is trusted.
        if (best != nullptr && (java_cpu >= 0 || candidates == 1)) {
            best->claimed = true;
            ids[static_cast<size_t>(i)] = best->tid;
        }
    }
    return ids;
}

void name_running_threads(jvmtiEnv* jvmti, JNIEnv* jni, ThreadNames& names) {
    jint count = 0;
    jthread* threads = nullptr;
    if (jvmti->GetAllThreads(&count, &threads) != JVMTI_ERROR_NONE) return;
    std::vector<pid_t> ids = kernel_ids_of(jvmti, jni, threads, count);
    for (jint i = 0; i < count; i++) {
        if (ids[static_cast<size_t>(i)] >= 0)
            names.set(ids[static_cast<size_t>(i)], java_thread_name(jvmti, jni, threads[i]));
        if (jni != nullptr) jni->DeleteLocalRef(threads[i]);
    }
    jvmti->Deallocate(reinterpret_cast<unsigned char*>(threads));
}

const char* thread_state_name(jint flags) {
    switch (flags & JVMTI_JAVA_LANG_THREAD_STATE_MASK) {
        case JVMTI_JAVA_LANG_THREAD_STATE_BLOCKED:
            return "BLOCKED";
        case JVMTI_JAVA_LANG_THREAD_STATE_WAITING:
            return "WAITING";
        case JVMTI_JAVA_LANG_THREAD_STATE_TIMED_WAITING:
            return "TIMED_WAITING";
        case JVMTI_JAVA_LANG_THREAD_STATE_TERMINATED:
            return "TERMINATED";
        case JVMTI_JAVA_LANG_THREAD_STATE_NEW:
            return "NEW";
        default:
            return "RUNNABLE";
    }
}

}  // namespace hotframe
