#include "agent/memory_collector.h"

#include <fstream>
#include <string>
#include <vector>

namespace hotframe {

// JNI calls into java.lang.management with one rule: after the first failure (a missing class or method, or
// a Java exception such as an OutOfMemoryError) nothing more is called, the exception is cleared, and the
// report says it failed. Calling on with a pending exception or a null method id would crash the JVM.
class BeanCalls {
public:
    explicit BeanCalls(JNIEnv* jni) : jni_(jni) {}

    bool ok() const { return ok_; }

    jmethodID method(const char* klass, const char* name, const char* signature) {
        jclass found = ok_ ? jni_->FindClass(klass) : nullptr;
        jmethodID id = found != nullptr ? jni_->GetMethodID(found, name, signature) : nullptr;
        check(id != nullptr);
        return id;
    }

    jobject object(jobject target, const char* klass, const char* name, const char* signature) {
        jmethodID id = method(klass, name, signature);
        if (!ok_ || target == nullptr) return nullptr;
        jobject result = jni_->CallObjectMethod(target, id);
        check(true);
        return result;
    }

    std::string text(jobject target, const char* klass, const char* name) {
        jobject value = object(target, klass, name, "()Ljava/lang/String;");
        if (!ok_ || value == nullptr) return "";
        const char* chars = jni_->GetStringUTFChars(static_cast<jstring>(value), nullptr);
        std::string result = chars != nullptr ? chars : "";
        if (chars != nullptr) jni_->ReleaseStringUTFChars(static_cast<jstring>(value), chars);
        check(chars != nullptr);
        return result;
    }

    int64_t number(jobject target, const char* klass, const char* name) {
        jmethodID id = method(klass, name, "()J");
        if (!ok_ || target == nullptr) return 0;
        jlong result = jni_->CallLongMethod(target, id);
        check(true);
        return result;
    }

    jobject factory(const char* name, const char* signature, jobject argument = nullptr) {
        jclass klass = ok_ ? jni_->FindClass("java/lang/management/ManagementFactory") : nullptr;
        jmethodID id = klass != nullptr ? jni_->GetStaticMethodID(klass, name, signature) : nullptr;
        check(id != nullptr);
        if (!ok_) return nullptr;
        jobject result = argument != nullptr ? jni_->CallStaticObjectMethod(klass, id, argument)
                                             : jni_->CallStaticObjectMethod(klass, id);
        check(result != nullptr);
        return result;
    }

    std::vector<jobject> elements(jobject list) {
        std::vector<jobject> items;
        jmethodID size = method("java/util/List", "size", "()I");
        jmethodID get = method("java/util/List", "get", "(I)Ljava/lang/Object;");
        if (!ok_ || list == nullptr) return items;
        jint count = jni_->CallIntMethod(list, size);
        check(true);
        for (jint i = 0; ok_ && i < count; i++) {
            items.push_back(jni_->CallObjectMethod(list, get, i));
            check(true);
        }
        return items;
    }

    jclass find_class(const char* name) {
        jclass found = ok_ ? jni_->FindClass(name) : nullptr;
        check(found != nullptr);
        return found;
    }

private:
    void check(bool succeeded) {
        if (jni_->ExceptionCheck()) {
            jni_->ExceptionClear();
            ok_ = false;
        }
        if (!succeeded) ok_ = false;
    }

    JNIEnv* jni_;
    bool ok_ = true;
};

namespace {

constexpr const char* kUsage = "java/lang/management/MemoryUsage";
constexpr const char* kUsageSignature = "()Ljava/lang/management/MemoryUsage;";

void read_usage(BeanCalls& calls, jobject usage, int64_t* used, int64_t* committed, int64_t* max) {
    if (usage == nullptr) return;
    *used = calls.number(usage, kUsage, "getUsed");
    if (committed != nullptr) *committed = calls.number(usage, kUsage, "getCommitted");
    if (max != nullptr) *max = calls.number(usage, kUsage, "getMax");
}

int64_t resident_set_bytes() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
    }
    return -1;
}

// Each bean of a list as a global reference, so that it outlives the local frame it was read in.
std::vector<jobject> global_elements(JNIEnv* jni, BeanCalls& calls, jobject list) {
    std::vector<jobject> beans;
    for (jobject bean : calls.elements(list)) beans.push_back(jni->NewGlobalRef(bean));
    return beans;
}

}  // namespace

void MemoryBeans::look_up(JNIEnv* jni, BeanCalls& calls) {
    pools_ = global_elements(jni, calls, calls.factory("getMemoryPoolMXBeans", "()Ljava/util/List;"));
    jobject memory = calls.factory("getMemoryMXBean", "()Ljava/lang/management/MemoryMXBean;");
    memory_ = memory != nullptr ? jni->NewGlobalRef(memory) : nullptr;
    collectors_ = global_elements(jni, calls, calls.factory("getGarbageCollectorMXBeans", "()Ljava/util/List;"));
    jclass buffer_class = calls.find_class("java/lang/management/BufferPoolMXBean");
    if (!calls.ok()) return;
    buffers_ = global_elements(
        jni, calls, calls.factory("getPlatformMXBeans", "(Ljava/lang/Class;)Ljava/util/List;", buffer_class));
    looked_up_ = calls.ok();
}

void MemoryBeans::read(BeanCalls& calls, MemoryReport* report) const {
    constexpr const char* kPool = "java/lang/management/MemoryPoolMXBean";
    for (jobject bean : pools_) {
        MemoryPool pool;
        pool.name = calls.text(bean, kPool, "getName");
        jobject type = calls.object(bean, kPool, "getType", "()Ljava/lang/management/MemoryType;");
        pool.heap = calls.text(type, "java/lang/Enum", "name") == "HEAP";
        read_usage(calls, calls.object(bean, kPool, "getUsage", kUsageSignature), &pool.used, &pool.committed,
                   &pool.max);
        read_usage(calls, calls.object(bean, kPool, "getCollectionUsage", kUsageSignature), &pool.used_after_gc,
                   nullptr, nullptr);
        report->pools.push_back(pool);
    }
    constexpr const char* kMemory = "java/lang/management/MemoryMXBean";
    read_usage(calls, calls.object(memory_, kMemory, "getHeapMemoryUsage", kUsageSignature), &report->heap_used,
               &report->heap_committed, &report->heap_max);
    read_usage(calls, calls.object(memory_, kMemory, "getNonHeapMemoryUsage", kUsageSignature), &report->non_heap_used,
               &report->non_heap_committed, nullptr);
    constexpr const char* kCollector = "java/lang/management/GarbageCollectorMXBean";
    for (jobject bean : collectors_) {
        report->collectors.push_back(CollectorStats{
            calls.text(bean, "java/lang/management/MemoryManagerMXBean", "getName"),
            calls.number(bean, kCollector, "getCollectionCount"), calls.number(bean, kCollector, "getCollectionTime")});
    }
    constexpr const char* kBuffer = "java/lang/management/BufferPoolMXBean";
    for (jobject bean : buffers_) {
        report->buffers.push_back(
            BufferPool{calls.text(bean, kBuffer, "getName"), calls.number(bean, kBuffer, "getCount"),
                       calls.number(bean, kBuffer, "getMemoryUsed"), calls.number(bean, kBuffer, "getTotalCapacity")});
    }
}

Status MemoryBeans::collect(JNIEnv* jni, MemoryReport* report) {
    if (jni == nullptr) return Status::error("memory statistics need a thread attached to the JVM");
    // A few hundred local references at most; the frame frees them all.
    if (jni->PushLocalFrame(512) != JNI_OK) {
        jni->ExceptionClear();
        return Status::error("out of memory for JNI local references");
    }
    BeanCalls calls(jni);
    if (!looked_up_) {
        release(jni);
        look_up(jni, calls);
    }
    if (calls.ok()) read(calls, report);
    jni->PopLocalFrame(nullptr);
    if (!calls.ok()) {
        // Looked up again next time: a failure may have come from a bean that went away.
        release(jni);
        return Status::error(
            "reading java.lang.management's memory beans failed (is the java.management module "
            "in this runtime? is the heap exhausted?)");
    }
    report->rss = resident_set_bytes();
    return Status::ok();
}

void MemoryBeans::release(JNIEnv* jni) {
    for (std::vector<jobject>* beans : {&pools_, &collectors_, &buffers_}) {
        for (jobject bean : *beans) jni->DeleteGlobalRef(bean);
        beans->clear();
    }
    if (memory_ != nullptr) jni->DeleteGlobalRef(memory_);
    memory_ = nullptr;
    looked_up_ = false;
}

Status collect_memory_report(JNIEnv* jni, MemoryReport* report) {
    MemoryBeans beans;
    Status collected = beans.collect(jni, report);
    if (jni != nullptr) beans.release(jni);
    return collected;
}

}  // namespace hotframe
