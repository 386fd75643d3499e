#include "native/aggregate/thread_names.h"

#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>

using namespace hotframe;

namespace {

pid_t current_tid() { return static_cast<pid_t>(syscall(SYS_gettid)); }

// Runs `body` on a new thread whose kernel name is `kernel_name`, passing its tid.
template <typename Body>
void on_thread_named(const char* kernel_name, Body body) {
    struct Context {
        const char* name;
        Body* body;
    } context{kernel_name, &body};
    pthread_t thread;
    auto run = [](void* argument) -> void* {
        auto* context = static_cast<Context*>(argument);
        pthread_setname_np(pthread_self(), context->name);
        (*context->body)(current_tid());
        return nullptr;
    };
    REQUIRE(pthread_create(&thread, nullptr, run, &context) == 0);
    pthread_join(thread, nullptr);
}

}  // namespace

TEST_CASE("only a thread with a 15-byte kernel name is worth the JVM's list", "[thread_names]") {
    on_thread_named("GC Thread#3", [](pid_t tid) {
        ThreadNames names;
        CHECK_FALSE(names.needs_jvm_name(tid));
        CHECK(names.name_of(tid) == "GC Thread#3");
    });
    on_thread_named("C2 CompilerThre", [](pid_t tid) {
        ThreadNames names;
        CHECK(names.needs_jvm_name(tid));
        uint64_t before = names.generation();
        CHECK(names.add_jvm_list({{tid, "C2 CompilerThread7"}, {tid + 100000, "VM Thread"}}, {tid}) == 2);
        CHECK(names.generation() != before);
        CHECK(names.name_of(tid) == "C2 CompilerThread7");
        CHECK_FALSE(names.needs_jvm_name(tid));
    });
}

TEST_CASE("a thread the JVM's list does not name is not asked about again", "[thread_names]") {
    on_thread_named("native-worker-1", [](pid_t tid) {
        ThreadNames names;
        REQUIRE(names.needs_jvm_name(tid));
        uint64_t before = names.generation();
        CHECK(names.add_jvm_list({{tid + 100000, "Service Thread"}}, {tid}) == 1);
        CHECK_FALSE(names.needs_jvm_name(tid));
        CHECK(names.name_of(tid) == "native-worker-1");
        CHECK(names.add_jvm_list({}, {tid}) == 0);
        CHECK(names.generation() == before + 1);  // a list that names nobody changes nothing
        names.clear();
        CHECK(names.needs_jvm_name(tid));  // a new session asks again
    });
}

TEST_CASE("a Java name from JVMTI stays when the JVM's list names the thread too", "[thread_names]") {
    ThreadNames names;
    pid_t tid = current_tid();
    names.set(tid, "http-nio-8080-exec-1");
    CHECK_FALSE(names.needs_jvm_name(tid));
    CHECK(names.add_jvm_list({{tid, "something else"}}, {tid}) == 0);
    CHECK(names.name_of(tid) == "http-nio-8080-exec-1");
}
