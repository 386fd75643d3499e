#include "native/engines/lock_engine.h"

#include "native/steady_clock.h"
#include "native/symbols/elf_symbols.h"

namespace hotframe {

namespace {

using ParkFunction = void(JNICALL*)(JNIEnv*, jobject, jboolean, jlong);

// Set once, before the wrapper is registered, and never changed: a thread may be inside the wrapper at any time.
ParkFunction g_original_park = nullptr;
LockEngine* g_park_tracer = nullptr;

// When this thread started waiting for a contended monitor; 0 when it is not waiting.
thread_local uint64_t t_contended_since = 0;

void JNICALL park_wrapper(JNIEnv* jni, jobject unsafe, jboolean absolute, jlong time) {
    g_park_tracer->on_park(jni, unsafe, absolute, time);
}

// Frees a JNI local reference when it goes; wrapped natives run with the caller's local frame.
class LocalRef {
public:
    LocalRef(JNIEnv* jni, jobject object) : jni_(jni), object_(object) {}
    ~LocalRef() {
        if (object_ != nullptr) jni_->DeleteLocalRef(object_);
    }
    LocalRef(const LocalRef&) = delete;
    LocalRef& operator=(const LocalRef&) = delete;
    jobject get() const { return object_; }

private:
    JNIEnv* jni_;
    jobject object_;
};

jvmtiCapabilities monitor_events_capability() {
    jvmtiCapabilities wanted{};
    wanted.can_generate_monitor_events = 1;
    return wanted;
}

}  // namespace

LockEngine::LockEngine(jvmtiEnv* jvmti, ClassNames* class_names)
    : JvmtiEngine(jvmti, class_names, monitor_events_capability(),
                  {JVMTI_EVENT_MONITOR_CONTENDED_ENTER, JVMTI_EVENT_MONITOR_CONTENDED_ENTERED}) {}

std::string LockEngine::description() const {
    return "lock (waits of at least " + std::to_string(threshold_ns_.load()) + " ns)";
}

std::string LockEngine::refused_capabilities(jvmtiError error) const {
    return "this JVM cannot report contended monitors (JVMTI error " + std::to_string(error) + ")";
}

std::string LockEngine::warning() const {
    if (park_wrapper_installed_) return "";
    return "java.util.concurrent locks are not traced, only synchronized: " + park_wrapper_error_;
}

Status LockEngine::prepare(JNIEnv* jni) {
    if (!park_wrapper_installed_ && park_wrapper_error_.empty()) {
        Status installed = install_park_wrapper(jni);
        if (installed.is_ok()) {
            park_wrapper_installed_ = true;
        } else {
            park_wrapper_error_ = installed.message();
        }
    }
    return Status::ok();
}

Status LockEngine::install_park_wrapper(JNIEnv* jni) {
    if (jni == nullptr) return Status::error("no JNI environment on the thread that started profiling");
    auto original = reinterpret_cast<ParkFunction>(find_function_in_loaded_object("libjvm.so", "Unsafe_Park"));
    if (original == nullptr) {
        return Status::error(
            "Unsafe_Park not found in the symbol table of the libjvm.so this JVM runs (or the file "
            "at its path has been replaced since the JVM started)");
    }
    jclass unsafe = jni->FindClass("jdk/internal/misc/Unsafe");
    jclass thread = unsafe != nullptr ? jni->FindClass("java/lang/Thread") : nullptr;
    jclass synchronizer =
        thread != nullptr ? jni->FindClass("java/util/concurrent/locks/AbstractOwnableSynchronizer") : nullptr;
    jclass latch = synchronizer != nullptr ? jni->FindClass("java/util/concurrent/CountDownLatch$Sync") : nullptr;
    jfieldID blocker = latch != nullptr ? jni->GetFieldID(thread, "parkBlocker", "Ljava/lang/Object;") : nullptr;
    if (jni->ExceptionCheck()) jni->ExceptionClear();
    if (unsafe == nullptr || synchronizer == nullptr || latch == nullptr || blocker == nullptr) {
        return Status::error("this JVM's Unsafe, Thread.parkBlocker or AbstractOwnableSynchronizer is missing");
    }
    park_blocker_field_ = blocker;
    owned_synchronizer_class_ = static_cast<jclass>(jni->NewGlobalRef(synchronizer));
    latch_class_ = static_cast<jclass>(jni->NewGlobalRef(latch));
    g_original_park = original;
    g_park_tracer = this;
    JNINativeMethod method{const_cast<char*>("park"), const_cast<char*>("(ZJ)V"),
                           reinterpret_cast<void*>(park_wrapper)};
    // HotSpot discards the compiled native wrapper of a method whose function changes, so callers that were
    // already compiled reach the new function too.
    if (jni->RegisterNatives(unsafe, &method, 1) != JNI_OK) {
        if (jni->ExceptionCheck()) jni->ExceptionClear();
        return Status::error("RegisterNatives for Unsafe.park failed");
    }
    return Status::ok();
}

void LockEngine::on_contended_enter() {
    if (active()) t_contended_since = steady_now_ns();
}

void LockEngine::on_contended_entered(JNIEnv* jni, jobject object) {
    uint64_t since = t_contended_since;
    t_contended_since = 0;
    if (since == 0 || !active()) return;
    uint64_t waited = steady_now_ns() - since;
    if (waited < threshold_ns_.load(std::memory_order_relaxed)) return;
    LocalRef lock_class(jni, jni->GetObjectClass(object));
    record(kEventLock, static_cast<jclass>(lock_class.get()), waited);
}

void LockEngine::on_park(JNIEnv* jni, jobject unsafe, jboolean absolute, jlong time) {
    if (!active()) {
        g_original_park(jni, unsafe, absolute, time);
        return;
    }
    jthread thread = nullptr;
    if (jvmti_->GetCurrentThread(&thread) != JVMTI_ERROR_NONE) thread = nullptr;
    LocalRef thread_ref(jni, thread);
    LocalRef blocker(jni, thread != nullptr ? jni->GetObjectField(thread, park_blocker_field_) : nullptr);
    if (blocker.get() == nullptr || !jni->IsInstanceOf(blocker.get(), owned_synchronizer_class_) ||
        jni->IsInstanceOf(blocker.get(), latch_class_)) {
        g_original_park(jni, unsafe, absolute, time);
        return;
    }
    uint64_t started = steady_now_ns();
    g_original_park(jni, unsafe, absolute, time);
    uint64_t waited = steady_now_ns() - started;
    if (waited < threshold_ns_.load(std::memory_order_relaxed) || !active()) return;
    LocalRef lock_class(jni, jni->GetObjectClass(blocker.get()));
    record(kEventLock, static_cast<jclass>(lock_class.get()), waited);
}

}  // namespace hotframe
