#include <jni.h>
#include <pthread.h>
#include <setjmp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

#include "native/capture/fault_guard.h"
#include "native/capture/sample_record.h"
#include "native/capture/stack_capture.h"

using namespace hotframe;

namespace {

constexpr uintptr_t kEnvOffset = 64;  // where the fake JavaThreads below keep their JNIEnv

// The status capture_java_stack gives the calling thread, with no walker to run after the Java-thread test: a
// thread taken for a Java thread ends at "no AsyncGetCallTrace", any other at "not a Java thread".
int32_t status_of_this_thread(const StackCaptureContext& context) {
    std::vector<uint64_t> record(1024, 0);
    auto* header = reinterpret_cast<SampleHeader*>(record.data());
    capture_java_stack(context, static_cast<pid_t>(gettid()), nullptr, header, 16);
    return header->status;
}

// A session's context for a fake HotSpot: `key` holds each thread's Thread*, whose JNIEnv sits kEnvOffset bytes
// in and points to `table` in a JavaThread. No walker: the Java-thread test is all that runs.
StackCaptureContext fake_hotspot_context(pthread_key_t key, const JNINativeInterface_* table) {
    StackCaptureContext context{};
    context.hotspot_thread_key = static_cast<int>(key);
    context.jni_env_offset = kEnvOffset;
    context.jni_functions = table;
    context.max_frames = 16;
    return context;
}

}  // namespace

TEST_CASE("the handler tells a Java thread by the JNI function table at the JNIEnv's offset, never asking the JVM",
          "[stack_capture]") {
    REQUIRE(fault_guard::install());
    static JNINativeInterface_ table{};  // stands for the JVM's JNI function table
    pthread_key_t key;
    REQUIRE(pthread_key_create(&key, nullptr) == 0);
    StackCaptureContext context = fake_hotspot_context(key, &table);
    std::vector<uintptr_t> thread(32, 0);  // a Thread object, its JNIEnv 64 bytes in

    SECTION("a thread HotSpot never set up has no Thread* under the key") {
        CHECK(status_of_this_thread(context) == kStatusNonJavaThread);
    }
    SECTION("a JavaThread: its JNIEnv points to the table") {
        thread[kEnvOffset / sizeof(uintptr_t)] = reinterpret_cast<uintptr_t>(&table);
        REQUIRE(pthread_setspecific(key, thread.data()) == 0);
        CHECK(status_of_this_thread(context) == kStatusNoAgct);
    }
    SECTION("one of HotSpot's own threads (a GC worker): something else at that offset") {
        thread[kEnvOffset / sizeof(uintptr_t)] = reinterpret_cast<uintptr_t>(&thread);
        REQUIRE(pthread_setspecific(key, thread.data()) == 0);
        CHECK(status_of_this_thread(context) == kStatusNonJavaThread);
    }
    SECTION("a thread already inside a guard (a signal in another walk of it): counted as the walk's fault") {
        thread[kEnvOffset / sizeof(uintptr_t)] = reinterpret_cast<uintptr_t>(&table);
        REQUIRE(pthread_setspecific(key, thread.data()) == 0);
        static sigjmp_buf outer;
        auto tid = static_cast<pid_t>(gettid());
        REQUIRE(fault_guard::enter(tid, &outer));
        int32_t status = status_of_this_thread(context);
        fault_guard::leave(tid);
        CHECK(status == kStatusFault);
    }
    pthread_setspecific(key, nullptr);
    pthread_key_delete(key);
}

// A test case of its own: Catch2 puts its own fatal-signal handler back in front of ours each time it reruns a
// test case for its next section, and the fault guard is installed once per process.
TEST_CASE("a smaller Thread object that ends just before an unmapped page: the handler's read faults and recovers",
          "[stack_capture]") {
    REQUIRE(fault_guard::install());
    static JNINativeInterface_ table{};
    pthread_key_t key;
    REQUIRE(pthread_key_create(&key, nullptr) == 0);
    StackCaptureContext context = fake_hotspot_context(key, &table);
    long page = sysconf(_SC_PAGESIZE);
    void* pages = mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(pages != MAP_FAILED);
    REQUIRE(mprotect(static_cast<char*>(pages) + page, page, PROT_NONE) == 0);
    void* object = static_cast<char*>(pages) + page - 32;  // its JNIEnv's place lies in the unmapped page
    REQUIRE(pthread_setspecific(key, object) == 0);
    CHECK(status_of_this_thread(context) == kStatusNonJavaThread);
    pthread_setspecific(key, nullptr);
    munmap(pages, 2 * page);
    pthread_key_delete(key);
}
