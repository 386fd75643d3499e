#include "native/aggregate/thread_print.h"

#include <catch2/catch.hpp>

using namespace hotframe;

namespace {

// Excerpts of `jcmd <pid> Thread.print`, as the JVMs print them.
constexpr const char* kJdk17 = R"(27620:
2026-11-30 11:29:17
Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6-Debian-1deb12u1 mixed mode, sharing):

Threads class SMR info:
_java_thread_list=0x00007f71a8001f70, length=12, elements={
0x00007f7238018020, 0x00007f72380f6270, 0x00007f72380f7650, 0x00007f72380ff2c0
}

"main" #1 prio=5 os_prio=0 cpu=983.84ms elapsed=8.00s tid=0x00007f7238018020 nid=0x6be7 waiting on condition  [0x00007f723fbfe000]
   java.lang.Thread.State: TIMED_WAITING (sleeping)
	at java.lang.Thread.sleep(java.base@17.0.15/Native Method)
	- locked <0x000000062a20e258> (a java.lang.Object)

"C2 CompilerThread0" #7 daemon prio=9 os_prio=0 cpu=369.61ms elapsed=7.83s tid=0x00007f7238103430 nid=0x6bfb waiting on condition  [0x0000000000000000]
   java.lang.Thread.State: RUNNABLE
   No compile task

"Monitor Deflation Thread" #6 daemon prio=9 os_prio=0 cpu=1.33ms elapsed=7.83s tid=0x00007f7238101a80 nid=0x6bfa runnable  [0x0000000000000000]
   java.lang.Thread.State: RUNNABLE

"VM Thread" os_prio=0 cpu=1.91ms elapsed=7.89s tid=0x00007f72380f21b0 nid=0x6bf4 runnable  

"G1 Conc#0" os_prio=0 cpu=0.05ms elapsed=7.97s tid=0x00007f723804f8b0 nid=0x6bea runnable  

JNI global refs: 7, weak refs: 0
)";

constexpr const char* kJdk25 =
    R"("main" #3 [27629] prio=5 os_prio=0 cpu=1145.53ms elapsed=8.63s tid=0x00007fb02002aa70 nid=27629 waiting on condition  [0x00007fb0277fe000]
   java.lang.Thread.State: TIMED_WAITING (sleeping)

"C1 CompilerThread0" #18 [27653] daemon prio=9 os_prio=0 cpu=471.57ms elapsed=8.45s tid=0x00007fb0200be3a0 nid=27653 waiting on condition  [0x0000000000000000]
   java.lang.Thread.State: RUNNABLE
   Compiling: 123       4       java.lang.String::hashCode (60 bytes)

"GC Thread#1" os_prio=0 cpu=8.42ms elapsed=5.61s tid=0x00007fafe80062b0 nid=27674 runnable  
)";

}  // namespace

TEST_CASE("Thread.print of JDK 17: names and hexadecimal native ids", "[thread_print]") {
    std::vector<ListedThread> threads = parse_thread_print(kJdk17);
    REQUIRE(threads.size() == 5);
    CHECK(threads[0].name == "main");
    CHECK(threads[0].tid == 0x6be7);
    CHECK(threads[1].name == "C2 CompilerThread0");
    CHECK(threads[1].tid == 0x6bfb);
    CHECK(threads[2].name == "Monitor Deflation Thread");
    CHECK(threads[3].name == "VM Thread");
    CHECK(threads[3].tid == 0x6bf4);
    CHECK(threads[4].name == "G1 Conc#0");
}

TEST_CASE("Thread.print of JDK 25: decimal native ids after the bracketed one", "[thread_print]") {
    std::vector<ListedThread> threads = parse_thread_print(kJdk25);
    REQUIRE(threads.size() == 3);
    CHECK(threads[0].name == "main");
    CHECK(threads[0].tid == 27629);
    CHECK(threads[1].name == "C1 CompilerThread0");
    CHECK(threads[1].tid == 27653);
    CHECK(threads[2].name == "GC Thread#1");
    CHECK(threads[2].tid == 27674);
}

TEST_CASE("Thread.print: names with quotes and fields in them, lines that are not headers", "[thread_print]") {
    std::vector<ListedThread> threads = parse_thread_print(
        "\"say \"hi\" nid=1\" #12 prio=5 os_prio=0 tid=0x1 nid=0x10 runnable\n"
        "\"pool-1-thread-1\" #13 prio=5 os_prio=0 tid=0x2 nid=0x11 runnable\n"
        "Found one Java-level deadlock:\n"
        "\"monitor-a\":\n"
        "  waiting to lock monitor 0x1 (object 0x2, a java.lang.Object),\n"
        "\"no id\" os_prio=0 tid=0x3 nid=bogus runnable\n"
        "\"zero\" os_prio=0 tid=0x3 nid=0x0 runnable\n"
        "\"cut short");
    REQUIRE(threads.size() == 2);
    CHECK(threads[0].name == "say \"hi\" nid=1");
    CHECK(threads[0].tid == 0x10);
    CHECK(threads[1].name == "pool-1-thread-1");
}
