#include "native/aggregate/aggregator.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <utility>

#include "native/aggregate/drain_pacing.h"
#include "native/aggregate/own_threads.h"
#include "native/aggregate/thread_list.h"
#include "native/capture/native_stack.h"
#include "native/steady_clock.h"
#include "native/symbols/library_scan.h"
#include "native/symbols/native_symbols.h"
#include "native/thread_name.h"

namespace hotframe {

namespace {

constexpr auto kThreadRefreshPeriod = std::chrono::milliseconds(100);  // look for unreported threads
// The JVM's thread list costs a jstack (a safepoint that prints every stack): fetched at most once a second,
// and less often, up to once a minute, while lists name no thread that had no name. New JVM-internal threads
// (compiler and GC workers added under load) come now and then; threads the JVM does not know (native
// libraries' own, ours) are asked about once.
constexpr auto kJvmListGap = std::chrono::milliseconds(1000);
constexpr auto kJvmListLongestGap = std::chrono::milliseconds(64000);

// A sample without Java frames whose native stack was walked to the thread's first frame (clone3,
// start_thread): a JIT compiler, GC or VM thread, or a Java thread that has not called Java yet. Its frames
// say all there is; a "[unknown_not_Java]" or "[non_Java_thread]" under them would only split the thread's
// stacks in two. States of the JVM ([GC_active], [safepoint]) stay: they are facts the stack does not show.
bool native_stack_explains(const SampleHeader& header) {
    bool without_java = header.status == kStatusNonJavaThread || header.status == kStatusNoJavaFrame ||
                        header.status == kStatusUnknownNotJava || header.status == kStatusNotWalkableNotJava;
    return without_java && header.native_count > 0 && header.native_end == kWalkOutermost;
}

}  // namespace

Aggregator::Aggregator(JavaVM* vm, jvmtiEnv* jvmti, const CompiledMethods* compiled, SampleRings* rings,
                       AggregationSettings settings)
    : vm_(vm),
      rings_(rings),
      settings_(std::move(settings)),
      table_(settings_.memory_limit),
      record_frame_ids_(jvmti, compiled, &table_, &pseudo_frame_ids_,
                        RecordFrameIdsSettings{settings_.signatures, settings_.lines, settings_.generated_code}) {
    // The process's symbol tables serve every session; this one's setting decides from now on.
    NativeSymbols::shared().set_debug_files(settings_.debug_files, kDefaultDebugRoot);
}

Aggregator::~Aggregator() { stop(); }

void Aggregator::start() {
    {
        std::lock_guard<std::mutex> lock(wake_mutex_);
        stopping_ = false;
    }
    // The thread counts as one of ours before start() returns: the engines, started next, arm every thread they
    // find except ours.
    std::promise<void> registered;
    std::future<void> done = registered.get_future();
    // The promise moves into the thread: set_value may still be returning when done.wait() does.
    thread_ = std::thread([this, registered = std::move(registered)]() mutable {
        pid_t tid = static_cast<pid_t>(gettid());
        own_threads::add(tid);
        started_cpu_ns_.store(thread_cpu_now_ns());
        tid_.store(tid);
        registered.set_value();
        run();
        run_cpu_ns_.store(thread_cpu_now_ns() - started_cpu_ns_.load());
        tid_.store(0);
        own_threads::remove(tid);
    });
    done.wait();
}

void Aggregator::stop() {
    if (!thread_.joinable()) return;
    {
        std::lock_guard<std::mutex> lock(wake_mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void Aggregator::run() {
    name_this_thread("hf aggregator");
    JNIEnv* jni = nullptr;
    JavaVMAttachArgs attach{JNI_VERSION_1_6, const_cast<char*>("hotframe aggregator"), nullptr};
    bool attached = vm_->AttachCurrentThreadAsDaemon(reinterpret_cast<void**>(&jni), &attach) == JNI_OK;
    if (!attached) jni = nullptr;
    using Clock = std::chrono::steady_clock;
    auto next_period = Clock::now() + std::chrono::nanoseconds(settings_.period_ns);
    auto next_refresh = Clock::now() + kThreadRefreshPeriod;
    std::unique_lock<std::mutex> wake_lock(wake_mutex_);
    size_t drained = 0;  // bytes, from the fullest ring
    auto previous_drain = Clock::now();
    std::chrono::nanoseconds since_previous{0};
    bool first = true;
    while (!stopping_) {
        // The busier the rings were at the last drain, the sooner the next: allocation samples can arrive far
        // faster than timer signals, and a ring that fills up drops samples (drain_pacing.h). The first wait is
        // short: the session's rate is not known yet.
        size_t ring_size = rings_->ring_bytes();
        auto wait =
            first ? std::chrono::nanoseconds(kFirstDrainWait) : next_drain_wait(drained, since_previous, ring_size);
        first = false;
        if (wait.count() > 0) wake_.wait_for(wake_lock, wait, [this] { return stopping_; });
        if (stopping_) break;
        wake_lock.unlock();
        auto now = Clock::now();
        since_previous = now - previous_drain;
        previous_drain = now;
        bool list_due;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            drained = drain_locked(jni, jni != nullptr);
            list_due = !unnamed_threads_.empty() && Clock::now() >= next_jvm_list_;
        }
        if (list_due && jni != nullptr) {
            name_threads_from_jvm_list(jni);
            drained = ring_size;  // samples wait in the rings for these names: drain again at once
        }
        if (drained >= ring_size / 4) std::this_thread::yield();
        // A library loaded since the last look (System.loadLibrary): until the walk knows it, its frames look
        // like generated code and the native frames above Java are lost. Costs one loader step when nothing
        // changed.
        if (settings_.native_frames) library_scan::refresh(settings_.unwind_tables);
        if (settings_.refresh_threads && Clock::now() >= next_refresh) {
            next_refresh = Clock::now() + kThreadRefreshPeriod;
            settings_.refresh_threads();
        }
        if (settings_.period_ns != 0 && Clock::now() >= next_period) {
            next_period += std::chrono::nanoseconds(settings_.period_ns);
            hand_over_period();
        }
        wake_lock.lock();
    }
    wake_lock.unlock();
    {
        std::lock_guard<std::mutex> lock(mutex_);
        drain_locked(jni);
    }
    if (attached) vm_->DetachCurrentThread();
}

std::vector<Profile> Aggregator::profiles_locked() const {
    std::vector<Profile> profiles;
    for (int slot = 0; slot < kEventSlotCount; slot++) {
        const EventChannel& channel = settings_.events[slot];
        if (channel.enabled)
            profiles.push_back(table_.to_profile(channel.name, channel.unit, static_cast<uint8_t>(slot)));
    }
    return profiles;
}

// A loop= interval was handed over: the next starts from nothing, frame names and the caches that point into
// them included, so that a session running for days holds one interval's worth, not everything it ever saw.
void Aggregator::clear_interval_locked() {
    table_.clear();
    record_frame_ids_.clear();
    // pseudo_frame_ids_ sees the table's new generation and starts again by itself.
    frame_matches_.clear();
    threads_.clear();
}

void Aggregator::hand_over_period() {
    std::vector<Profile> profiles;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        profiles = profiles_locked();
        clear_interval_locked();
    }
    // Outside the lock: rendering and writing a file must not hold up draining.
    if (settings_.on_period) settings_.on_period(std::move(profiles));
}

// Runs the JVM's Thread.print, a safepoint (and Java code, through the MBean fallback): outside mutex_, so that
// dumps and status are not held up and nothing it triggers on this thread (JVMTI events) can wait for the lock.
void Aggregator::name_threads_from_jvm_list(JNIEnv* jni) {
    std::vector<pid_t> asked;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        asked.assign(unnamed_threads_.begin(), unnamed_threads_.end());
        unnamed_threads_.clear();
    }
    size_t named = settings_.thread_names->add_jvm_list(settings_.list_jvm_threads(jni), asked);
    std::lock_guard<std::mutex> lock(mutex_);
    jvm_list_gap_ =
        named != 0 || jvm_list_gap_.count() == 0 ? kJvmListGap : std::min(jvm_list_gap_ * 2, kJvmListLongestGap);
    next_jvm_list_ = std::chrono::steady_clock::now() + jvm_list_gap_;
}

// A sample from a thread that may have a JVM name it does not have yet: remembered for the next list, and if
// that list is due now, the sample waits for it (true), so that its root frame and filters see the real name.
bool Aggregator::jvm_list_due_locked(pid_t tid) {
    bool names_matter = settings_.per_thread || settings_.filter.active();
    if (!names_matter || !settings_.list_jvm_threads || threads_.count(tid) != 0) return false;
    if (unnamed_threads_.count(tid) == 0) {
        if (!settings_.thread_names->needs_jvm_name(tid)) return false;
        unnamed_threads_.insert(tid);
    }
    return std::chrono::steady_clock::now() >= next_jvm_list_;
}

size_t Aggregator::drain_locked(JNIEnv* jni, bool may_pause) {
    size_t most = 0;
    for (uint32_t r = 0; r < rings_->ring_count(); r++) {
        RingBuffer& ring = rings_->rings()[r];
        size_t drained = 0;
        // At most a ring's worth per pass, so that producers that keep up cannot hold the lock (and dumps,
        // status and periodic writes) for ever.
        const void* record = nullptr;
        while (drained < rings_->ring_bytes() && (record = ring.peek()) != nullptr) {
            const auto& header = *static_cast<const SampleHeader*>(record);
            if (may_pause && jvm_list_due_locked(header.tid)) break;
            add_record_locked(jni, header);
            drained += ring.release();
        }
        if (drained > most) most = drained;
    }
    return most;
}

const Aggregator::ThreadEntry& Aggregator::thread_entry_locked(pid_t tid) {
    uint64_t generation = settings_.thread_names->generation();
    if (generation != thread_names_generation_) {
        // A thread was named or renamed, or a thread id was reused: forget what we derived from names.
        threads_.clear();
        thread_names_generation_ = generation;
    }
    auto found = threads_.find(tid);
    if (found != threads_.end()) return found->second;
    std::string name = settings_.thread_names->name_of(tid);
    ThreadEntry entry{table_.intern_frame("[" + name + " tid=" + std::to_string(tid) + "]", FrameKind::kPseudo),
                      settings_.filter.match(name)};
    return threads_.emplace(tid, entry).first->second;
}

bool Aggregator::passes_filter_locked(pid_t tid) {
    constexpr int8_t kIncluded = 1, kExcluded = 2;
    bool included = !settings_.filter.has_include();
    SampleFilter::NameMatch thread_match = thread_entry_locked(tid).match;
    if (thread_match.excluded) return false;
    included = included || thread_match.included;
    for (uint32_t id : scratch_frames_) {
        if (id >= frame_matches_.size()) frame_matches_.resize(id + 1, -1);
        if (frame_matches_[id] < 0) {
            SampleFilter::NameMatch match = settings_.filter.match(table_.to_frame_name(id));
            frame_matches_[id] =
                static_cast<int8_t>((match.included ? kIncluded : 0) | (match.excluded ? kExcluded : 0));
        }
        if (frame_matches_[id] & kExcluded) return false;
        included = included || (frame_matches_[id] & kIncluded);
    }
    return included;
}

bool Aggregator::wall_sample_wanted_locked(const SampleHeader& header) {
    bool without_java = header.status == kStatusNonJavaThread || header.status == kStatusNoJavaFrame ||
                        header.status == kStatusUnknownNotJava;
    if (!without_java) {
        wall_misses_.erase(header.tid);
        return true;
    }
    // GC workers, compiler threads, the JVM's service threads and ours wait for work nearly all the time and
    // never have Java frames: in a wall-clock profile they would bury the application's threads. A Java thread
    // can be caught without walkable frames now and then, so only a thread found so several times running is
    // left out by the engine (for a while: see WallClockEngine).
    constexpr uint8_t kMissesBeforeSkipping = 3;
    if (++wall_misses_[header.tid] >= kMissesBeforeSkipping) {
        wall_misses_.erase(header.tid);
        if (settings_.skip_thread) settings_.skip_thread(header.tid);
    }
    return false;
}

void Aggregator::add_record_locked(JNIEnv* jni, const SampleHeader& header) {
    if (header.event >= kEventSlotCount || !settings_.events[header.event].enabled) return;
    bool wall = header.event == kEventWall;
    if (wall && !wall_sample_wanted_locked(header)) return;
    std::vector<uint32_t>& frames = scratch_frames_;
    frames.clear();
    // Leaf first: the native frames above the Java ones (or the whole native stack), then the Java frames, or
    // below the native ones why there were no Java frames ([non_Java_thread] and the like), so that such
    // samples still add up by kind.
    record_frame_ids_.add_kernel_frames(header, frames);
    record_frame_ids_.add_native_frames(jni, header, frames);
    if (header.status == kStatusOk) {
        record_frame_ids_.add_java_frames(jni, header, frames);
    } else if (!native_stack_explains(header)) {
        frames.push_back(pseudo_frame_ids_.walk_failure(status_frame_name(header.status), header.walk_code_kind));
    }
    // A frame that was not stored (past memlimit) has no name a filter could match: such a sample is counted
    // over the limit, as it would be unfiltered, rather than guessed in or out.
    bool unstored =
        table_.over_limit() && std::find(frames.begin(), frames.end(), table_.over_limit_frame()) != frames.end();
    if (settings_.filter.active() && !unstored && !passes_filter_locked(header.tid)) {
        filtered_out_++;
        return;
    }
    // The leaf says what the sample is about: the class allocated or locked, or what the thread was doing.
    bool jvmti_event = header.event == kEventAlloc || header.event == kEventLock;
    if (jvmti_event && settings_.class_names != nullptr) {
        frames.insert(frames.begin(),
                      table_.intern_frame(settings_.class_names->name_of(header.leaf_class), FrameKind::kPseudo));
    } else if (wall) {
        frames.insert(frames.begin(), pseudo_frame_ids_.constant(run_state_frame_name(header.thread_state)));
    }
    if (settings_.per_thread) frames.push_back(thread_entry_locked(header.tid).root_frame);
    table_.add(frames, 1, header.weight, header.event);
}

std::vector<Profile> Aggregator::snapshot() {
    JNIEnv* jni = nullptr;
    if (vm_->GetEnv(reinterpret_cast<void**>(&jni), JNI_VERSION_1_6) != JNI_OK) jni = nullptr;
    std::lock_guard<std::mutex> lock(mutex_);
    drain_locked(jni);
    return profiles_locked();
}

uint64_t Aggregator::counted_bytes() {
    std::lock_guard<std::mutex> lock(mutex_);
    return table_.counted_bytes();
}

uint64_t Aggregator::samples_over_limit() {
    std::lock_guard<std::mutex> lock(mutex_);
    return table_.samples_over_limit();
}

uint64_t Aggregator::cpu_nanoseconds() const {
    pid_t tid = tid_.load();
    if (tid == 0) return run_cpu_ns_.load();
    // Still running (a dump): its CPU clock, read from another thread by its kernel id.
    int64_t ns = cpu_clock_ns(thread_cpu_clock(tid));
    if (ns < 0) return 0;
    return static_cast<uint64_t>(ns) - started_cpu_ns_.load();
}

Aggregator::NamingCost Aggregator::naming_cost() {
    std::lock_guard<std::mutex> lock(mutex_);
    return record_frame_ids_.naming_cost();
}

uint64_t Aggregator::total_samples() {
    std::lock_guard<std::mutex> lock(mutex_);
    return table_.total_samples();
}

uint64_t Aggregator::filtered_out() {
    std::lock_guard<std::mutex> lock(mutex_);
    return filtered_out_;
}

}  // namespace hotframe
