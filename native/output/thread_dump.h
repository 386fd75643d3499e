// A thread dump as data (every Java thread: identity, state, stack with line numbers, the monitors it holds
// at each frame, what it waits for and who holds that) and its renderings with the deadlocks found in it
// (native/analysis/deadlocks.h finds them): text in jstack's layout, so that people's habits and jstack
// analysers work on it, and JSON for tools.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hotframe {

// An object used as a lock: its class and identity hash (jstack prints an address; ours is stable across the
// dump, which is what matching "locked" to "waiting to lock" needs).
struct DumpedLock {
    std::string class_name;
    uint32_t identity = 0;
};

struct DumpedFrame {
    std::string method;  // java.lang.Thread.sleep
    std::string file;    // Thread.java; empty if unknown
    int line = -1;       // -1 unknown
    bool native = false;
    std::vector<DumpedLock> locked;  // monitors this frame holds
};

enum class WaitKind { kNone, kMonitorEnter, kObjectWait, kPark };

struct DumpedThread {
    std::string name;
    int64_t java_id = -1;
    int native_id = -1;  // kernel thread id, -1 if it could not be matched
    bool daemon = false;
    int priority = 0;
    std::string state;         // java.lang.Thread.State: RUNNABLE, BLOCKED, WAITING, TIMED_WAITING, NEW, TERMINATED
    std::string state_detail;  // "on object monitor", "parking", "sleeping"; may be empty
    std::vector<DumpedFrame> frames;  // innermost first
    WaitKind wait = WaitKind::kNone;
    std::optional<DumpedLock> waits_for;  // the monitor or parking blocker
    int64_t lock_owner_java_id = -1;      // who holds waits_for, -1 if nobody or unknown
};

// A thread of the process that JVMTI does not show: GC workers, the VM thread, and the JIT compiler and
// service threads that HotSpot hides from JVMTI although they are Java threads (jstack lists them).
struct OtherThread {
    std::string name;         // the JVM's name for it, as jcmd Thread.print shows it; else the kernel's
    std::string kernel_name;  // the kernel's name, at most 15 bytes
    int native_id = -1;
    // Whether the JVM's own list named it. A thread it does not list is not the JVM's: the launcher's primordial
    // thread ("java", waiting for main to end) or a native library's. Unknown when the list was not available.
    enum class Owner { kJvm, kNotJvm, kUnknown } owner = Owner::kUnknown;
};

struct ThreadDump {
    std::string jvm;  // "OpenJDK 64-Bit Server VM 17.0.15+6-Debian-1deb12u1"
    std::vector<DumpedThread> threads;
    std::vector<OtherThread> other_threads;
};

// A cycle of threads each waiting for a lock the next one holds; thread indices into ThreadDump::threads.
struct Deadlock {
    std::vector<size_t> threads;
};

std::string render_thread_dump_text(const ThreadDump& dump, const std::vector<Deadlock>& deadlocks);
std::string render_thread_dump_json(const ThreadDump& dump, const std::vector<Deadlock>& deadlocks);

}  // namespace hotframe
