#include "agent/memory_collector.h"

#include <fstream>
#include <string>

namespace hotframe {

namespace {

struct Jni {
    JNIEnv* jni;

    jmethodID method(const char* klass, const char* name, const char* signature) {
        jclass found = jni->FindClass(klass);
        return found != nullptr ? jni->GetMethodID(found, name, signature) : nullptr;
    }

    std::string string_of(jobject text) {
        if (text == nullptr) return "";
        const char* chars = jni->GetStringUTFChars(static_cast<jstring>(text), nullptr);
        std::string value = chars != nullptr ? chars : "";
        if (chars != nullptr) jni->ReleaseStringUTFChars(static_cast<jstring>(text), chars);
        return value;
    }

    // Calls a no-argument method returning String.
    std::string text(jobject object, const char* klass, const char* name) {
        return string_of(jni->CallObjectMethod(object, method(klass, name, "()Ljava/lang/String;")));
    }

    jlong number(jobject object, const char* klass, const char* name) {
        return jni->CallLongMethod(object, method(klass, name, "()J"));
    }

    // The elements of a java.util.List returned by a static ManagementFactory method.
    std::vector<jobject> list(const char* factory_method, jobject argument = nullptr) {
        jclass factory = jni->FindClass("java/lang/management/ManagementFactory");
        jobject result;
        if (argument == nullptr) {
            result = jni->CallStaticObjectMethod(factory,
                                                 jni->GetStaticMethodID(factory, factory_method, "()Ljava/util/List;"));
        } else {
            result = jni->CallStaticObjectMethod(
                factory, jni->GetStaticMethodID(factory, factory_method, "(Ljava/lang/Class;)Ljava/util/List;"),
                argument);
        }
        std::vector<jobject> items;
        if (result == nullptr) return items;
        jint size = jni->CallIntMethod(result, method("java/util/List", "size", "()I"));
        jmethodID get = method("java/util/List", "get", "(I)Ljava/lang/Object;");
        for (jint i = 0; i < size; i++) items.push_back(jni->CallObjectMethod(result, get, i));
        return items;
    }
};

constexpr const char* kUsage = "java/lang/management/MemoryUsage";

void read_usage(Jni& j, jobject usage, int64_t* used, int64_t* committed, int64_t* max) {
    if (usage == nullptr) return;
    *used = j.number(usage, kUsage, "getUsed");
    if (committed != nullptr) *committed = j.number(usage, kUsage, "getCommitted");
    if (max != nullptr) *max = j.number(usage, kUsage, "getMax");
}

int64_t resident_set_bytes() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
    }
    return -1;
}

void collect(Jni& j, MemoryReport* report) {
    constexpr const char* kPool = "java/lang/management/MemoryPoolMXBean";
    for (jobject bean : j.list("getMemoryPoolMXBeans")) {
        MemoryPool pool;
        pool.name = j.text(bean, kPool, "getName");
        jobject type = j.jni->CallObjectMethod(bean, j.method(kPool, "getType", "()Ljava/lang/management/MemoryType;"));
        pool.heap = j.text(type, "java/lang/Enum", "name") == "HEAP";
        const char* usage_signature = "()Ljava/lang/management/MemoryUsage;";
        read_usage(j, j.jni->CallObjectMethod(bean, j.method(kPool, "getUsage", usage_signature)), &pool.used,
                   &pool.committed, &pool.max);
        read_usage(j, j.jni->CallObjectMethod(bean, j.method(kPool, "getCollectionUsage", usage_signature)),
                   &pool.used_after_gc, nullptr, nullptr);
        report->pools.push_back(pool);
    }
    jclass factory = j.jni->FindClass("java/lang/management/ManagementFactory");
    jobject memory = j.jni->CallStaticObjectMethod(
        factory, j.jni->GetStaticMethodID(factory, "getMemoryMXBean", "()Ljava/lang/management/MemoryMXBean;"));
    constexpr const char* kMemory = "java/lang/management/MemoryMXBean";
    const char* usage_signature = "()Ljava/lang/management/MemoryUsage;";
    read_usage(j, j.jni->CallObjectMethod(memory, j.method(kMemory, "getHeapMemoryUsage", usage_signature)),
               &report->heap_used, &report->heap_committed, &report->heap_max);
    read_usage(j, j.jni->CallObjectMethod(memory, j.method(kMemory, "getNonHeapMemoryUsage", usage_signature)),
               &report->non_heap_used, &report->non_heap_committed, nullptr);
    constexpr const char* kCollector = "java/lang/management/GarbageCollectorMXBean";
    for (jobject bean : j.list("getGarbageCollectorMXBeans")) {
        report->collectors.push_back(CollectorStats{j.text(bean, "java/lang/management/MemoryManagerMXBean", "getName"),
                                                    j.number(bean, kCollector, "getCollectionCount"),
                                                    j.number(bean, kCollector, "getCollectionTime")});
    }
    constexpr const char* kBuffer = "java/lang/management/BufferPoolMXBean";
    for (jobject bean : j.list("getPlatformMXBeans", j.jni->FindClass(kBuffer))) {
        report->buffers.push_back(BufferPool{j.text(bean, kBuffer, "getName"), j.number(bean, kBuffer, "getCount"),
                                             j.number(bean, kBuffer, "getMemoryUsed"),
                                             j.number(bean, kBuffer, "getTotalCapacity")});
    }
}

}  // namespace

Status collect_memory_report(JNIEnv* jni, MemoryReport* report) {
    if (jni == nullptr) return Status::error("memory statistics need a thread attached to the JVM");
    // A few hundred local references at most; the frame frees them all.
    if (jni->PushLocalFrame(512) != JNI_OK) return Status::error("out of memory for JNI local references");
    Jni j{jni};
    collect(j, report);
    bool failed = jni->ExceptionCheck();
    if (failed) jni->ExceptionClear();
    jni->PopLocalFrame(nullptr);
    if (failed) return Status::error("reading java.lang.management's memory beans failed");
    report->rss = resident_set_bytes();
    return Status::ok();
}

}  // namespace hotframe
