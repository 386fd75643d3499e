// The kernel's list of this process's threads (/proc/self/task), for engines that arm one timer per thread
// and must also cover threads the JVM never reports (GC workers, compiler threads).
#pragma once

#include <sys/types.h>
#include <time.h>

#include <string>
#include <vector>

namespace hotframe {

std::vector<pid_t> list_process_threads();

// How many threads this process has: the link count of /proc/self/task, which the kernel gives as two plus the
// number of threads. One fstat on a directory kept open (about 14 us after the aggregator's sleep, with cold
// caches; a stat of the path costs 40 us and listing the directory 130 us with the 40 threads of a small JVM).
class ProcessThreadCounter {
public:
    ProcessThreadCounter();
    ~ProcessThreadCounter();
    ProcessThreadCounter(const ProcessThreadCounter&) = delete;
    ProcessThreadCounter& operator=(const ProcessThreadCounter&) = delete;

    // -1 if unknown (no /proc).
    int count() const;

private:
    int directory_fd_;
};

// The clock id of another thread's CPU time, by kernel thread id, as the kernel encodes it
// (CPUCLOCK_PERTHREAD | CPUCLOCK_SCHED); glibc only offers pthread_getcpuclockid, which needs a pthread_t we
// do not have for threads we did not create.
clockid_t thread_cpu_clock(pid_t tid);

// The kernel's name of a thread (/proc/self/task/TID/comm), empty if it has gone.
std::string kernel_thread_name(pid_t tid);

}  // namespace hotframe
