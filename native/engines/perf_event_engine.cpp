#include "native/engines/perf_event_engine.h"

#include <fcntl.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "native/capture/first_period.h"
#include "native/capture/kernel_stack.h"

namespace hotframe {

namespace {

// Two pages: the metadata page and one page of ring, which holds several samples of up to 64 kernel frames
// (8 + 8 + 64 * 8 bytes each); the handler empties it at every overflow.
constexpr size_t kKernelRingDataBytes = 4096;
constexpr size_t kKernelRingBytes = 4096 + kKernelRingDataBytes;

// `kernel_frames`: ask for the kernel part of the call chain; cleared if the kernel refuses.
int open_cpu_clock_event(pid_t tid, uint64_t interval_ns, bool* user_only, bool* kernel_frames) {
    // interval_ns is the first period only: see first_period.h.
    perf_event_attr attr{};
    attr.size = sizeof(attr);
    attr.type = PERF_TYPE_SOFTWARE;
    attr.config = PERF_COUNT_SW_CPU_CLOCK;
    attr.sample_period = interval_ns;
    attr.disabled = 1;
    attr.wakeup_events = 1;
    if (kernel_frames != nullptr && *kernel_frames) {
        attr.sample_type = PERF_SAMPLE_CALLCHAIN;
        attr.exclude_callchain_user = 1;  // the user part comes from our own walk
        attr.sample_max_stack = kernel_stack::kMaxKernelFrames;
    }
    int fd = static_cast<int>(syscall(SYS_perf_event_open, &attr, tid, -1, -1, PERF_FLAG_FD_CLOEXEC));
    if (fd < 0 && attr.sample_type != 0 && errno != EACCES && errno != EPERM) {
        // Call chains refused for another reason (kernel.perf_event_max_stack below ours, an older kernel):
        // profile without them rather than not at all.
        *kernel_frames = false;
        attr.sample_type = 0;
        attr.exclude_callchain_user = 0;
        attr.sample_max_stack = 0;
        fd = static_cast<int>(syscall(SYS_perf_event_open, &attr, tid, -1, -1, PERF_FLAG_FD_CLOEXEC));
    }
    if (fd < 0 && (errno == EACCES || errno == EPERM)) {
        // perf_event_paranoid >= 2 without CAP_PERFMON allows user-space-only events of our own threads, and
        // no kernel call chains.
        attr.exclude_kernel = 1;
        attr.sample_type = 0;
        attr.exclude_callchain_user = 0;
        attr.sample_max_stack = 0;
        fd = static_cast<int>(syscall(SYS_perf_event_open, &attr, tid, -1, -1, PERF_FLAG_FD_CLOEXEC));
        if (fd >= 0 && user_only != nullptr) *user_only = true;
        if (fd >= 0 && kernel_frames != nullptr) *kernel_frames = false;
    }
    return fd;
}

int perf_event_paranoid() {
    int level = -100;
    if (FILE* file = std::fopen("/proc/sys/kernel/perf_event_paranoid", "r")) {
        if (std::fscanf(file, "%d", &level) != 1) level = -100;
        std::fclose(file);
    }
    return level;
}

// Routes the event's overflow signal to the thread it measures, as `signal` with si_fd set, then enables it
// for one overflow; the signal handler re-enables it after each sample.
bool route_and_enable(int fd, pid_t tid, int signal) {
    f_owner_ex owner{F_OWNER_TID, tid};
    if (fcntl(fd, F_SETFL, O_ASYNC) != 0 || fcntl(fd, F_SETSIG, signal) != 0 || fcntl(fd, F_SETOWN_EX, &owner) != 0) {
        return false;
    }
    ioctl(fd, PERF_EVENT_IOC_RESET, 0);
    return ioctl(fd, PERF_EVENT_IOC_REFRESH, 1) == 0;
}

}  // namespace

std::string PerfEventEngine::request_kernel_frames() {
    kernel_frames_ = true;
    return "";
}

std::string PerfEventEngine::kernel_frames_refusal() const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (kernel_frames_refusal_.empty() && kernel_ring_failures_ != 0) {
        return "the call-chain buffer of " + std::to_string(kernel_ring_failures_) +
               " threads could not be mapped (locked-memory limit: perf_event_mlock_kb, RLIMIT_MEMLOCK), so those "
               "threads have no kernel frames";
    }
    return kernel_frames_refusal_;
}

bool PerfEventEngine::available() {
    int fd = open_cpu_clock_event(0, 10000000, nullptr, nullptr);
    if (fd < 0) return false;
    close(fd);
    return true;
}

std::string PerfEventEngine::description() const {
    // Without CAP_PERFMON and with perf_event_paranoid >= 2, only user-mode time is sampled: say so. Under the
    // lock: arming a thread (from the aggregator's refresh) may set it.
    std::lock_guard<std::mutex> lock(mutex_);
    return user_only_ ? "cpu (perf_event software cpu-clock per thread, user time only: kernel profiling not allowed)"
                      : "cpu (perf_event software cpu-clock per thread)";
}

bool PerfEventEngine::arm_thread_locked(pid_t tid, uint64_t first_period_ns, ThreadTimer* timer) {
    bool kernel_frames = kernel_frames_ && kernel_frames_refusal_.empty();
    timer->perf_fd = open_cpu_clock_event(tid, first_period_ns, &user_only_, &kernel_frames);
    if (timer->perf_fd < 0) return false;
    if (kernel_frames_ && kernel_frames_refusal_.empty() && !kernel_frames) {
        kernel_frames_refusal_ =
            user_only_ ? "kernel frames need perf_event_paranoid <= 1 or CAP_PERFMON (perf_event_paranoid is " +
                             std::to_string(perf_event_paranoid()) + ")"
                       : "the kernel refused call chains on perf events (is kernel.perf_event_max_stack below " +
                             std::to_string(kernel_stack::kMaxKernelFrames) + "?)";
    }
    if (kernel_frames) {
        void* ring = mmap(nullptr, kKernelRingBytes, PROT_READ | PROT_WRITE, MAP_SHARED, timer->perf_fd, 0);
        if (ring != MAP_FAILED) {
            timer->kernel_ring = ring;
            kernel_stack::register_ring(timer->perf_fd, ring, kKernelRingDataBytes);
        } else {
            // Locked-memory limits (perf_event_mlock_kb, RLIMIT_MEMLOCK) for unprivileged users.
            kernel_ring_failures_++;
        }
    }
    first_period::mark_pending(timer->perf_fd, interval_ns());
    if (!route_and_enable(timer->perf_fd, tid, signal())) {
        release(*timer);
        return false;
    }
    return true;
}

void PerfEventEngine::disable(ThreadTimer& timer) {
    if (timer.perf_fd < 0) return;
    ioctl(timer.perf_fd, PERF_EVENT_IOC_DISABLE, 0);
    first_period::clear(timer.perf_fd);
}

void PerfEventEngine::release(ThreadTimer& timer) {
    // Not disabled here: closing the last reference (the fd, after the mapping) frees the event, and every caller
    // releases a timer that can no longer send anything new: its thread has ended, disable() ran first (disarm
    // before stop, on_thread_start), or it was never enabled (a failed arm). A signal already queued then carries
    // a stale si_fd: the handler finds no kernel ring under it, and its ioctls fail, or, if the number went to
    // another file meanwhile, are refused by a file that is not a perf event ('$' ioctls are perf's own), or, if it
    // went to another thread's new timer, take that timer's pending period and enable it once more: its first
    // period then is a full interval instead of a random share of one, and nothing else changes. Under thread
    // churn the aggregator releases thousands of ended threads' timers a second, and the disable was one syscall
    // more for each (about 7% of its CPU there, within the runs' noise).
    if (timer.perf_fd >= 0) first_period::clear(timer.perf_fd);
    if (timer.kernel_ring != nullptr) {
        // Only after disarm and the wait for handlers in flight (Engine::stop), for a thread that has ended, or on
        // the thread itself (on_thread_start), whose handler can only run nested in this code: no handler reads
        // the ring while it is unmapped, and none finds it once unregistered.
        kernel_stack::unregister_ring(timer.perf_fd);
        munmap(timer.kernel_ring, kKernelRingBytes);
        timer.kernel_ring = nullptr;
    }
    if (timer.perf_fd >= 0) {
        close(timer.perf_fd);
        timer.perf_fd = -1;
    }
}

}  // namespace hotframe
