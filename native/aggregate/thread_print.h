// Reads each thread's name and kernel thread id from the text of HotSpot's Thread.print diagnostic command (what
// `jcmd <pid> Thread.print` and jstack print): the names a person knows threads by, including those of the
// threads JVMTI does not show (JIT compiler, service, GC and VM threads), whose kernel names are cut to 15 bytes.
// Pure text in, list out; agent/jvm_thread_list.h runs the command.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

namespace hotframe {

struct ListedThread {
    pid_t tid;
    std::string name;
};

// One entry per thread header line: `"C2 CompilerThread0" #7 daemon prio=9 ... nid=0x6bfb waiting on condition`
// (JDK 17; `#17 [27652] ...` and a decimal `nid=27652` since JDK 21) or `"VM Thread" os_prio=0 ... nid=0x6bf4
// runnable`. Lines without a nid (stack frames, the deadlock section) are skipped. A name is taken as everything
// between the first quote and the quote before the first ` #`, ` daemon`, ` prio=` or ` os_prio=` field, so a
// name that itself contains such a text is read short; the JVM's own threads have no such names.
std::vector<ListedThread> parse_thread_print(std::string_view text);

}  // namespace hotframe
