// Signal-safe: the sampling signals' handler and the state it reads.
#include "native/capture/signal_handler.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <atomic>

#include "native/capture/first_period.h"
#include "native/capture/kernel_stack.h"

namespace hotframe {

namespace capture {

namespace {

Wiring g_wiring;
std::atomic<bool> g_accepting{false};
std::atomic<int> g_in_flight{0};
SampleCounters g_counters;

void take_sample(pid_t tid, void* ucontext, int perf_fd, uint8_t event, uint64_t weight, uint8_t thread_state) {
    RingBuffer& ring = g_wiring.rings[static_cast<uint32_t>(tid) % g_wiring.ring_count];
    uint64_t position = 0;
    auto* header = static_cast<SampleHeader*>(ring.try_claim(&position));
    if (header == nullptr) {
        g_counters.dropped.fetch_add(1, std::memory_order_relaxed);
        kernel_stack::discard(perf_fd);
        return;
    }
    header->tid = tid;
    header->weight = weight;
    header->event = event;
    header->thread_state = thread_state;
    header->leaf_class = 0;
    capture_stack(g_wiring.capture, tid, ucontext, perf_fd, header);
    g_counters.by_status[status_slot(header->status)].fetch_add(1, std::memory_order_relaxed);
    if (!ring.commit(position, record_used_bytes(*header))) g_counters.unpacked.fetch_add(1, std::memory_order_relaxed);
}

void on_sample_signal(int signal, siginfo_t* info, void* ucontext) {
    int saved_errno = errno;
    // Entering before looking at g_accepting (both sequentially consistent) is what lets
    // stop_accepting_and_wait() know that once it has seen zero, no handler can still write a record.
    g_in_flight.fetch_add(1);
    if (g_accepting.load()) {
        g_counters.signals.fetch_add(1, std::memory_order_relaxed);
        // A POSIX timer that expired several times before its signal was delivered says so; the sample then
        // stands for all of those intervals.
        uint64_t intervals = 1;
        if (info != nullptr && info->si_code == SI_TIMER && info->si_overrun > 0) intervals += info->si_overrun;
        uint64_t weight = g_wiring.weight_per_sample * intervals;
        uint8_t thread_state = kRunStateUnknown;
        uint8_t event = kEventExecution;
        if (signal == g_wiring.wall_signal) {
            // Only the wall-clock engine's own queued signals are samples: it says what the thread was doing and
            // how much wall time passed since its previous sample (see wall_signal_value). A stray one is not.
            bool ours = info != nullptr && info->si_code == SI_QUEUE && info->si_pid == getpid();
            if (!ours) {
                g_in_flight.fetch_sub(1);
                errno = saved_errno;
                return;
            }
            auto value = reinterpret_cast<uintptr_t>(info->si_value.sival_ptr);
            thread_state = static_cast<uint8_t>(value & 0xff);
            weight = static_cast<uint64_t>(value >> 8);
            event = kEventWall;
        } else if (signal != g_wiring.cpu_signal) {
            // A signal of an earlier session's wiring, still installed: not a sample of this one, and its si_fd
            // is nobody's perf event to re-arm.
            g_in_flight.fetch_sub(1);
            errno = saved_errno;
            return;
        }
        bool from_perf_event = info != nullptr && (info->si_code == POLL_IN || info->si_code == POLL_HUP);
        if (!g_wiring.empty_handler) {
            take_sample(static_cast<pid_t>(gettid()), ucontext, from_perf_event ? info->si_fd : -1, event, weight,
                        thread_state);
        }
        // A perf_event counter disables itself after each overflow (IOC_REFRESH 1): re-enable it for the next.
        if (from_perf_event) {
            uint64_t interval = first_period::take_pending(info->si_fd);
            if (interval != 0) ioctl(info->si_fd, PERF_EVENT_IOC_PERIOD, &interval);
            ioctl(info->si_fd, PERF_EVENT_IOC_REFRESH, 1);
        }
    }
    g_in_flight.fetch_sub(1);
    errno = saved_errno;
}

}  // namespace

InstallResult install_handler(int signal) {
    struct sigaction current;
    if (sigaction(signal, nullptr, &current) != 0) return InstallResult::kFailed;
    bool has_info = (current.sa_flags & SA_SIGINFO) != 0;
    if (has_info && current.sa_sigaction == on_sample_signal) return InstallResult::kInstalled;
    if (has_info || (current.sa_handler != SIG_DFL && current.sa_handler != SIG_IGN)) return InstallResult::kInUse;
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_sigaction = on_sample_signal;
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&action.sa_mask);
    return sigaction(signal, &action, nullptr) == 0 ? InstallResult::kInstalled : InstallResult::kFailed;
}

void configure(const Wiring& wiring) { g_wiring = wiring; }

void start_accepting() { g_accepting.store(true); }

void stop_accepting_and_wait() {
    g_accepting.store(false);
    // A handler runs for microseconds; a short spin with a yield-sized sleep is enough.
    while (g_in_flight.load() != 0) {
        struct timespec pause = {0, 100000};
        nanosleep(&pause, nullptr);
    }
}

SampleCounters& counters() { return g_counters; }

ProducerScope::ProducerScope() {
    g_in_flight.fetch_add(1);
    accepting_ = g_accepting.load();
}

ProducerScope::~ProducerScope() { g_in_flight.fetch_sub(1); }

SampleHeader* ProducerScope::claim(pid_t tid) {
    if (!accepting_) return nullptr;
    ring_ = &g_wiring.rings[static_cast<uint32_t>(tid) % g_wiring.ring_count];
    header_ = static_cast<SampleHeader*>(ring_->try_claim(&position_));
    if (header_ == nullptr) g_counters.dropped.fetch_add(1, std::memory_order_relaxed);
    return header_;
}

void ProducerScope::commit() {
    if (!ring_->commit(position_, record_used_bytes(*header_)))
        g_counters.unpacked.fetch_add(1, std::memory_order_relaxed);
}

const StackCaptureContext& ProducerScope::capture_context() const { return g_wiring.capture; }

unsigned max_frames() { return g_wiring.capture.max_frames; }

uintptr_t wall_signal_value(uint64_t weight_ns, uint8_t thread_state) {
    return static_cast<uintptr_t>((weight_ns << 8) | thread_state);
}

}  // namespace capture

}  // namespace hotframe
