// The kernel's list of this process's threads (/proc/self/task), for engines that arm one timer per thread
// and must also cover threads the JVM never reports (GC workers, compiler threads).
#pragma once

#include <sys/types.h>
#include <time.h>

#include <string>
#include <vector>

namespace hotframe {

std::vector<pid_t> list_process_threads();

// The clock id of another thread's CPU time, by kernel thread id, as the kernel encodes it
// (CPUCLOCK_PERTHREAD | CPUCLOCK_SCHED); glibc only offers pthread_getcpuclockid, which needs a pthread_t we
// do not have for threads we did not create.
clockid_t thread_cpu_clock(pid_t tid);

// The kernel's name of a thread (/proc/self/task/TID/comm), empty if it has gone.
std::string kernel_thread_name(pid_t tid);

}  // namespace hotframe
