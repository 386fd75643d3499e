#include "agent/thread_sampling_window.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <vector>

#include "agent/java_threads.h"
#include "agent/log.h"
#include "native/aggregate/method_symbols.h"
#include "native/aggregate/sample_filter.h"
#include "native/output/html.h"
#include "native/output/output_file.h"
#include "native/output/output_paths.h"
#include "native/output/thread_sampling_report.h"
#include "native/thread_name.h"

namespace hotframe {

namespace {

constexpr jint kMaxSampledFrames = 256;
constexpr auto kTargetRefresh = std::chrono::seconds(1);

struct Target {
    jthread thread;  // a global reference
    std::string name;
    pid_t native_id;
};

std::vector<Target> find_targets(jvmtiEnv* jvmti, JNIEnv* jni, const Options& options) {
    std::vector<Target> targets;
    jint count = 0;
    jthread* threads = nullptr;
    if (jvmti->GetAllThreads(&count, &threads) != JVMTI_ERROR_NONE) return targets;
    std::vector<pid_t> native_ids = kernel_ids_of(jvmti, jni, threads, count);
    SampleFilter names(options.include, {});
    for (jint i = 0; i < count; i++) {
        std::string name = java_thread_name(jvmti, jni, threads[i]);
        pid_t native_id = native_ids[static_cast<size_t>(i)];
        bool wanted = options.sample_tid != 0 ? native_id == options.sample_tid : names.match(name).included;
        if (wanted) targets.push_back(Target{static_cast<jthread>(jni->NewGlobalRef(threads[i])), name, native_id});
        jni->DeleteLocalRef(threads[i]);
    }
    jvmti->Deallocate(reinterpret_cast<unsigned char*>(threads));
    return targets;
}

void release_targets(JNIEnv* jni, std::vector<Target>& targets) {
    for (Target& target : targets) jni->DeleteGlobalRef(target.thread);
    targets.clear();
}

void sample_once(jvmtiEnv* jvmti, JNIEnv* jni, MethodSymbols& symbols, const std::vector<Target>& targets,
                 ThreadHistories& histories) {
    jvmtiFrameInfo frames[kMaxSampledFrames];
    for (const Target& target : targets) {
        jint flags = 0;
        if (jvmti->GetThreadState(target.thread, &flags) != JVMTI_ERROR_NONE) continue;
        if ((flags & JVMTI_THREAD_STATE_ALIVE) == 0) continue;
        jint count = 0;
        if (jvmti->GetStackTrace(target.thread, 0, kMaxSampledFrames, frames, &count) != JVMTI_ERROR_NONE) continue;
        std::string key = target.name + "\n" + std::to_string(target.native_id);
        ThreadHistory& history = histories[key];
        history.name = target.name;
        history.native_id = target.native_id;
        history.samples++;
        const char* state = thread_state_name(flags);
        history.states[state]++;
        std::vector<std::string> stack;
        for (jint i = count - 1; i >= 0; i--) stack.push_back(symbols.name_of(jni, frames[i].method));
        if (std::string(state) != "RUNNABLE") stack.push_back(std::string("[") + state + "]");
        history.stacks[stack]++;
    }
}

// "x.txt" -> "x.html"; "x.html" -> "x.txt"; anything else gets the extension added.
std::string sibling(const std::string& path, const std::string& from, const std::string& to) {
    if (path.size() > from.size() && path.compare(path.size() - from.size(), from.size(), from) == 0) {
        return path.substr(0, path.size() - from.size()) + to;
    }
    return path + to;
}

}  // namespace

Status ThreadSamplingWindow::start(const Options& options) {
    if (options.interval_ns > options.duration_ns) {
        return Status::error("the sampling interval is longer than the window (duration=)");
    }
    if (options.include.empty() && options.sample_tid == 0) {
        return Status::error("sample needs threads to watch: include=NAME-PATTERN or tid=NATIVE-ID");
    }
    if (Status writable = check_output_pattern(options.file); !writable.is_ok()) return writable;
    return window_.start([] { return Status::ok(); }, [this, options] { return run(options); });
}

std::string ThreadSamplingWindow::run(const Options& options) {
    name_this_thread("hf sampling");
    JNIEnv* jni = nullptr;
    JavaVMAttachArgs attach{JNI_VERSION_1_6, const_cast<char*>("hotframe thread sampler"), nullptr};
    if (vm_->AttachCurrentThreadAsDaemon(reinterpret_cast<void**>(&jni), &attach) != JNI_OK) {
        return "failed: cannot attach the sampling thread to the JVM";
    }
    using Clock = std::chrono::steady_clock;
    auto started = Clock::now();
    auto deadline = started + std::chrono::nanoseconds(options.duration_ns);
    auto interval = std::chrono::nanoseconds(options.interval_ns);
    auto next_refresh = started;
    std::vector<Target> targets;
    ThreadHistories histories;
    MethodSymbols symbols(jvmti_);
    auto next_tick = started;
    while (Clock::now() < deadline) {
        if (Clock::now() >= next_refresh) {
            // Threads come and go: look for matching threads again every second.
            release_targets(jni, targets);
            targets = find_targets(jvmti_, jni, options);
            next_refresh = Clock::now() + kTargetRefresh;
        }
        sample_once(jvmti_, jni, symbols, targets, histories);
        // The window is bounded by the clock: ticks that a slow round overran are skipped, not made up.
        next_tick += interval;
        if (next_tick < Clock::now()) next_tick = Clock::now() + interval;
        if (window_.wait_until(std::min(next_tick, deadline))) break;
    }
    release_targets(jni, targets);
    double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    std::string text_path = next_output_path(options.file, std::time(nullptr));
    std::string html_path = sibling(text_path, ".txt", ".html");
    HtmlOptions html;
    html.title = "hotframe thread sampling of pid " + std::to_string(getpid());
    // The flame graph first: whoever waits for the text file finds both in place.
    Status written =
        write_file_atomically(html_path, render_html(thread_sampling_profile(histories, options.interval_ns), html));
    if (written.is_ok()) written = write_file_atomically(text_path, render_thread_sampling_text(histories, seconds));
    vm_->DetachCurrentThread();
    std::string result = written.is_ok() ? "wrote " + text_path + " and " + html_path : "failed: " + written.message();
    if (written.is_ok()) {
        log().info("thread sampling: {}", result);
    } else {
        log().error("thread sampling: {}", result);
    }
    return result;
}

}  // namespace hotframe
