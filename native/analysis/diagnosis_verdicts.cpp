#include "native/analysis/diagnosis_verdicts.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>

namespace hotframe {

namespace {

std::string format(const char* pattern, double a, double b = 0, double c = 0) {
    char text[256];
    std::snprintf(text, sizeof(text), pattern, a, b, c);
    return text;
}

std::string cpus_text(double cpus) {
    if (cpus - static_cast<int>(cpus) < 0.05) return format("%.0f", cpus) + (cpus < 1.5 ? " CPU" : " CPUs");
    return format("%.1f CPUs", cpus);
}

std::string mib(double bytes) { return format("%.0f MB", bytes / (1 << 20)); }

std::string seconds_text(double seconds) {
    return seconds >= 10  ? format("%.0f s", seconds)
           : seconds >= 1 ? format("%.1f s", seconds)
                          : format("%.0f ms", seconds * 1000);
}

// A frame's name without the package: "java.util.regex.Pattern.compile" -> "Pattern.compile".
std::string short_name(const std::string& name) {
    size_t paren = name.find('(');
    std::string head = name.substr(0, paren);
    size_t method_dot = head.rfind('.');
    if (method_dot == std::string::npos || method_dot == 0) return name;
    size_t class_dot = head.rfind('.', method_dot - 1);
    return class_dot == std::string::npos ? name : name.substr(class_dot + 1);
}

// The frames of a stack with the per-thread root and the state leaf left out: what the program ran.
std::pair<size_t, size_t> program_frames(const Profile& profile, const ProfileStack& stack) {
    size_t begin = 0, end = stack.frames.size();
    while (begin < end && profile.frames[stack.frames[begin]].kind == FrameKind::kPseudo) begin++;
    while (end > begin && profile.frames[stack.frames[end - 1]].kind == FrameKind::kPseudo) end--;
    return {begin, end};
}

bool is_java(FrameKind kind) {
    return kind == FrameKind::kInterpreted || kind == FrameKind::kJitCompiled || kind == FrameKind::kInlined;
}

// A call tree merged over threads, by frame name.
struct CallNode {
    std::string name;
    double total = 0;
    std::map<std::string, std::unique_ptr<CallNode>> callees;
};

CallNode merged_tree(const Profile& profile) {
    CallNode root;
    for (const ProfileStack& stack : profile.stacks) {
        auto [begin, end] = program_frames(profile, stack);
        CallNode* node = &root;
        node->total += static_cast<double>(stack.samples);
        for (size_t i = begin; i < end; i++) {
            const std::string& name = profile.frames[stack.frames[i]].name;
            std::unique_ptr<CallNode>& callee = node->callees[name];
            if (!callee) {
                callee = std::make_unique<CallNode>();
                callee->name = name;
            }
            node = callee.get();
            node->total += static_cast<double>(stack.samples);
        }
    }
    return root;
}

const CallNode* largest_callee(const CallNode& node) {
    const CallNode* largest = nullptr;
    for (const auto& [name, callee] : node.callees) {
        if (largest == nullptr || callee->total > largest->total) largest = callee.get();
    }
    return largest;
}

void add_deadlock_verdicts(const Diagnosis& diagnosis, std::vector<Verdict>& verdicts) {
    for (const Deadlock& deadlock : diagnosis.deadlocks) {
        std::string names, evidence;
        for (size_t i = 0; i < deadlock.threads.size(); i++) {
            const DumpedThread& thread = diagnosis.dump.threads[deadlock.threads[i]];
            const DumpedThread& next = diagnosis.dump.threads[deadlock.threads[(i + 1) % deadlock.threads.size()]];
            names += (i == 0 ? "" : ", ") + thread.name;
            std::string lock = thread.waits_for ? thread.waits_for->class_name : "a lock";
            evidence += (i == 0 ? "" : "; ") + thread.name + " waits for " + lock + " held by " + next.name;
        }
        verdicts.push_back(Verdict{"Deadlock: " + std::to_string(deadlock.threads.size()) + " threads (" + names + ")",
                                   evidence + ". They will never run again; see Thread dump.",
                                   {VerdictTab::kDump, VerdictTab::kThreads}});
    }
}

// The old generation's pool (G1 Old Gen, PS Old Gen, Tenured Gen): the one whose fill after GC matters.
const MemoryPool* old_generation(const MemoryReport& report) {
    for (const MemoryPool& pool : report.pools) {
        if (pool.heap &&
            (pool.name.find("Old") != std::string::npos || pool.name.find("Tenured") != std::string::npos)) {
            return &pool;
        }
    }
    return nullptr;
}

void add_memory_verdict(const Diagnosis& diagnosis, std::vector<Verdict>& verdicts) {
    if (diagnosis.memory.empty() || diagnosis.wall_seconds <= 0) return;
    const MemoryReport& latest = diagnosis.memory.back();
    GcPauses pauses = gc_pauses(diagnosis.memory);
    double pause_share = static_cast<double>(pauses.milliseconds) / 1000 / diagnosis.wall_seconds;
    const MemoryPool* old = old_generation(latest);
    double old_after_gc = old != nullptr && old->max > 0 && old->used_after_gc >= 0
                              ? static_cast<double>(old->used_after_gc) / static_cast<double>(old->max)
                              : 0;
    const Profile* alloc = find_profile(diagnosis, "alloc");
    double rate = alloc != nullptr ? static_cast<double>(alloc->total_weight()) / diagnosis.wall_seconds : 0;
    double turnovers = latest.heap_max > 0 ? rate / static_cast<double>(latest.heap_max) : 0;
    bool pausing = pause_share >= kGcPauseShare, full = old_after_gc >= kOldGenAfterGcShare,
         churning = turnovers >= kHeapTurnoversPerSecond && pause_share >= kChurnPauseShare;
    if (!pausing && !full && !churning) return;
    std::string title = "Memory pressure: ";
    if (pausing) {
        title += format("GC pauses took %.0f%% of the window", 100 * pause_share);
    } else if (full) {
        title += old->name + format(" %.0f%% of max after GC", 100 * old_after_gc);
    } else {
        title += "allocating " + mib(rate) + "/s into a heap of " + mib(static_cast<double>(latest.heap_max));
    }
    std::string evidence = std::to_string(pauses.collections) + " pausing collections, " +
                           seconds_text(static_cast<double>(pauses.milliseconds) / 1000) + " paused in " +
                           seconds_text(diagnosis.wall_seconds);
    if (old != nullptr && old_after_gc > 0) {
        evidence += "; " + old->name + format(" %.0f%% of max after GC", 100 * old_after_gc);
    }
    if (alloc != nullptr) {
        evidence += "; allocation " + mib(rate) + "/s (estimated from samples), heap max " +
                    mib(static_cast<double>(latest.heap_max));
        std::map<std::string, double> by_site;
        for (const ProfileStack& stack : alloc->stacks) {
            // The leaf is the allocated class (a pseudo-frame); the innermost frame of the program allocated it.
            auto [begin, end] = program_frames(*alloc, stack);
            if (end > begin) by_site[alloc->frames[stack.frames[end - 1]].name] += static_cast<double>(stack.weight);
        }
        auto top = std::max_element(by_site.begin(), by_site.end(),
                                    [](const auto& a, const auto& b) { return a.second < b.second; });
        if (top != by_site.end() && alloc->total_weight() > 0) {
            evidence += "; most allocated in " + short_name(top->first) +
                        format(" (%.0f%%)", 100 * top->second / static_cast<double>(alloc->total_weight()));
        }
    }
    verdicts.push_back(Verdict{title + ": see Alloc and Memory", evidence, {VerdictTab::kAlloc, VerdictTab::kMemory}});
}

// The per-thread root of a stack ("[worker-1 tid=9]"), or nullptr where the profile has no thread roots.
const std::string* thread_root(const Profile& profile, const ProfileStack& stack) {
    if (stack.frames.empty()) return nullptr;
    const ProfileFrame& root = profile.frames[stack.frames.front()];
    if (root.kind != FrameKind::kPseudo || root.name.size() < 3 || root.name.front() != '[') return nullptr;
    return &root.name;
}

void add_lock_verdict(const Diagnosis& diagnosis, std::vector<Verdict>& verdicts) {
    const Profile* lock = find_profile(diagnosis, "lock");
    if (lock == nullptr || diagnosis.wall_seconds <= 0) return;
    double waited = static_cast<double>(lock->total_weight()) / 1e9;
    // Without thread roots to count (a profile of another origin), the waits are set against one thread.
    size_t working = std::max<size_t>(working_threads(diagnosis), 1);
    double blocked_share = waited / (diagnosis.wall_seconds * static_cast<double>(working));
    if (blocked_share < kLockWaitShare) return;
    std::map<std::string, double> by_waiter, by_lock, by_thread;
    for (const ProfileStack& stack : lock->stacks) {
        // The leaf is the lock's class (a pseudo-frame); the innermost frame of the program waited for it.
        if (stack.frames.empty()) continue;
        by_lock[lock->frames[stack.frames.back()].name] += static_cast<double>(stack.weight);
        // The root is the thread ("[http-nio-8080-Poller tid=42]"): one thread waiting is not a whole pool.
        if (const std::string* root = thread_root(*lock, stack); root != nullptr) {
            size_t end = std::min(root->rfind(" tid="), root->size() - 1);
            by_thread[root->substr(1, end - 1)] += static_cast<double>(stack.weight);
        }
        auto [begin, end] = program_frames(*lock, stack);
        if (end > begin) by_waiter[lock->frames[stack.frames[end - 1]].name] += static_cast<double>(stack.weight);
    }
    auto heaviest = [](const std::map<std::string, double>& weights) {
        auto top = std::max_element(weights.begin(), weights.end(),
                                    [](const auto& a, const auto& b) { return a.second < b.second; });
        return top == weights.end() ? std::string() : top->first;
    };
    std::string waiter = heaviest(by_waiter), lock_class = heaviest(by_lock);
    std::string title =
        "Lock waits total " + seconds_text(waited) + (waiter.empty() ? "" : " under " + short_name(waiter));
    std::string evidence = format("%.0f%% of the wall time of the ", 100 * blocked_share) + std::to_string(working) +
                           (working == 1 ? " thread" : " threads") + " at work went to lock waits" +
                           format(" (%.1f thread-seconds per second of the window)", waited / diagnosis.wall_seconds);
    if (!lock_class.empty()) {
        evidence += "; the most contended lock is a " + lock_class +
                    format(" (%.0f%% of the time waited)", 100 * by_lock[lock_class] * 1e-9 / waited);
    }
    if (std::string thread = heaviest(by_thread); !thread.empty()) {
        evidence += "; " + std::to_string(by_thread.size()) +
                    (by_thread.size() == 1 ? " thread waited" : " threads waited") + ", most " + thread +
                    format(" (%.0f%%)", 100 * by_thread[thread] * 1e-9 / waited);
    }
    verdicts.push_back(Verdict{title + ": see Lock", evidence, {VerdictTab::kLock, VerdictTab::kThreads}});
}

}  // namespace

size_t working_threads(const Diagnosis& diagnosis) {
    std::set<std::string> working;
    if (const Profile* wall = find_profile(diagnosis, "wall"); wall != nullptr) {
        for (const ProfileStack& stack : wall->stacks) {
            const std::string* root = thread_root(*wall, stack);
            if (root != nullptr && wall->frames[stack.frames.back()].name == "[running]") working.insert(*root);
        }
    }
    if (const Profile* lock = find_profile(diagnosis, "lock"); lock != nullptr) {
        for (const ProfileStack& stack : lock->stacks) {
            if (const std::string* root = thread_root(*lock, stack); root != nullptr) working.insert(*root);
        }
    }
    return working.size();
}

namespace {

double cpu_share(const Diagnosis& diagnosis) {
    if (diagnosis.wall_seconds <= 0 || diagnosis.cpus_available <= 0) return 0;
    return diagnosis.cpu_seconds / (diagnosis.wall_seconds * diagnosis.cpus_available);
}

// The average number of Java threads that were running or ready to run over the window, from the wall samples'
// state leaves and the wall time each sample stands for.
double runnable_threads(const Diagnosis& diagnosis) {
    const Profile* wall = find_profile(diagnosis, "wall");
    if (wall == nullptr || diagnosis.wall_seconds <= 0) return 0;
    double running_ns = 0;
    for (const ProfileStack& stack : wall->stacks) {
        if (!stack.frames.empty() && wall->frames[stack.frames.back()].name == "[running]") {
            running_ns += static_cast<double>(stack.weight);
        }
    }
    return running_ns / 1e9 / diagnosis.wall_seconds;
}

// Of the wall samples of the threads that were runnable at least once (the per-thread root is a stack's first
// frame), the share in which they were runnable: how much of their time the threads that did anything wanted
// the CPU. Threads that never ran (idle pools) do not dilute it.
double active_threads_runnable_share(const Diagnosis& diagnosis) {
    const Profile* wall = find_profile(diagnosis, "wall");
    if (wall == nullptr) return 0;
    std::map<uint32_t, std::pair<double, double>> by_root;  // root frame -> (runnable ns, all ns)
    for (const ProfileStack& stack : wall->stacks) {
        if (stack.frames.empty()) continue;
        auto& [runnable, all] = by_root[stack.frames.front()];
        all += static_cast<double>(stack.weight);
        if (wall->frames[stack.frames.back()].name == "[running]") runnable += static_cast<double>(stack.weight);
    }
    double runnable = 0, all = 0;
    for (const auto& [root, totals] : by_root) {
        if (totals.first == 0) continue;
        runnable += totals.first;
        all += totals.second;
    }
    return all > 0 ? runnable / all : 0;
}

void add_waiting_verdict(const Diagnosis& diagnosis, std::vector<Verdict>& verdicts) {
    if (diagnosis.wall_seconds <= 0 || diagnosis.cpus_available <= 0) return;
    double share = cpu_share(diagnosis);
    if (share >= kDiagnosisWaitingCpuShare) return;
    // Low CPU is waiting only if the threads did not want more: on a machine busy with other work, runnable
    // threads that get no CPU are starved, not waiting. The wall samples say how many were runnable, and whether
    // the threads that ran wanted the CPU most of the time (starved) or queued for it briefly between waits.
    if (runnable_threads(diagnosis) >= kDiagnosisWaitingCpuShare * diagnosis.cpus_available &&
        active_threads_runnable_share(diagnosis) >= kStarvedRunnableShare) {
        return;
    }
    std::string evidence = "the process used " + seconds_text(diagnosis.cpu_seconds) + " of CPU in " +
                           seconds_text(diagnosis.wall_seconds) + " on " + cpus_text(diagnosis.cpus_available) +
                           format(", %.1f threads runnable on average", runnable_threads(diagnosis));
    if (const Profile* wall = find_profile(diagnosis, "wall"); wall != nullptr && wall->total_samples() != 0) {
        double sleeping = 0;
        std::map<std::string, double> waits;
        for (const ProfileStack& stack : wall->stacks) {
            if (stack.frames.empty() || wall->frames[stack.frames.back()].name != "[sleeping]") continue;
            sleeping += static_cast<double>(stack.samples);
            // Where the thread waits, in its own language: the innermost Java frame, or the Java native method
            // it called (Thread.sleep, Unsafe.park), not the futex call under them.
            auto [begin, end] = program_frames(*wall, stack);
            while (end > begin && !is_java(wall->frames[stack.frames[end - 1]].kind)) end--;
            if (end == begin) continue;
            const ProfileFrame* wait = &wall->frames[stack.frames[end - 1]];
            if (end < stack.frames.size()) {
                const ProfileFrame& callee = wall->frames[stack.frames[end]];
                if (callee.kind == FrameKind::kNative && callee.name.find('.') != std::string::npos &&
                    callee.name.find('+') == std::string::npos) {
                    wait = &callee;
                }
            }
            waits[wait->name] += static_cast<double>(stack.samples);
        }
        evidence += format("; %.0f%% of wall-clock samples found threads waiting",
                           100 * sleeping / static_cast<double>(wall->total_samples()));
        auto top = std::max_element(waits.begin(), waits.end(),
                                    [](const auto& a, const auto& b) { return a.second < b.second; });
        if (top != waits.end()) evidence += ", most often in " + short_name(top->first);
    }
    verdicts.push_back(Verdict{format("CPU %.0f%% of the ", 100 * share) + cpus_text(diagnosis.cpus_available) +
                                   " available: waiting, not computing; see Wall",
                               evidence,
                               {VerdictTab::kWall, VerdictTab::kThreads}});
}

bool is_jit_thread(const std::string& name) {
    return name.rfind("C1 Compiler", 0) == 0 || name.rfind("C2 Compiler", 0) == 0 || name.rfind("JVMCI", 0) == 0;
}

void add_jit_verdict(const Diagnosis& diagnosis, std::vector<Verdict>& verdicts) {
    if (diagnosis.cpu_seconds <= 0) return;
    double jit = 0;
    for (const DiagnosedThread& thread : diagnosis.threads) {
        if (is_jit_thread(thread.name)) jit += thread.cpu_seconds;
    }
    double share = jit / diagnosis.cpu_seconds;
    if (share < kJitCpuShare) return;
    verdicts.push_back(Verdict{format("JIT compiler threads used %.0f%% of CPU: warm-up, not your code", 100 * share),
                               "the C1/C2 compiler threads used " + seconds_text(jit) + " of the process's " +
                                   seconds_text(diagnosis.cpu_seconds) + " of CPU; diagnose again once warm",
                               {VerdictTab::kThreads, VerdictTab::kCpu}});
}

// Frames no one wrote and few would recognise: the classes HotSpot spins for lambdas and method handles
// ("Locks$$Lambda$2/0x0000000800c03000.run", "LambdaForm$MH/0x....invoke"), reflection's generated accessors and
// proxies. A verdict that names one says little; it names the frame under it (the lambda's body,
// "Locks.lambda$main$0", is named after the method that wrote it) or, failing that, the one above it.
bool is_generated_frame(const std::string& name) {
    for (const char* marker : {"$$Lambda", "LambdaForm$", "GeneratedMethodAccessor", "GeneratedConstructorAccessor",
                               "DirectMethodHandle$", "jdk.proxy", "$Proxy"}) {
        if (name.find(marker) != std::string::npos) return true;
    }
    return false;
}

// The JDK's own classes: where a program calls into them, the call names what the program asked for
// (Pattern.compile), and the library's internals under it (Pattern.expr, Pattern$Branch.match) do not.
bool is_jdk_frame(const std::string& name) {
    for (const char* prefix : {"java.", "javax.", "jdk.", "sun.", "com.sun."}) {
        if (name.rfind(prefix, 0) == 0) return true;
    }
    return false;
}

// "java.util.regex.Pattern$Branch.match" -> "java.util.regex.Pattern": nested classes count as their outer one.
std::string outer_class(const std::string& name) {
    std::string head = name.substr(0, name.find('('));
    size_t dot = head.rfind('.');
    std::string owner = dot == std::string::npos ? head : head.substr(0, dot);
    return owner.substr(0, owner.find('$'));
}

void add_hot_frame_verdict(const Diagnosis& diagnosis, std::vector<Verdict>& verdicts) {
    const Profile* cpu = find_profile(diagnosis, "cpu");
    if (cpu == nullptr || cpu->total_samples() == 0) return;
    CallNode root = merged_tree(*cpu);
    double total = root.total;
    // The roots are threads' entry points, which split by thread rather than by work: the walk starts at the
    // largest of them and follows the largest callee while it holds most of its caller's time (a path like
    // Thread.run -> ... -> CoyoteAdapter.service -> ... -> the JSP is one piece of work, however many valves
    // and filters it passes), and goes through generated frames (lambdas' classes) to the code they run. Where
    // the program calls into the JDK it stops at the call, going on only into another class that still holds
    // most of the time (String.replaceAll -> Pattern.compile), not into the library's own internals.
    std::vector<const CallNode*> path;
    if (const CallNode* first = largest_callee(root); first != nullptr) path.push_back(first);
    bool in_library = false;
    while (!path.empty()) {
        const CallNode* last = path.back();
        const CallNode* under = largest_callee(*last);
        if (under == nullptr || under->total < kHotFrameMinShare * total) break;
        bool generated = is_generated_frame(last->name);
        if (!generated && under->total < kHotFrameLargestCallee * last->total) {
            // The time branches here: the largest branch, if it is big enough on its own and not the library's
            // own internals, is what the hot path does (String.replaceAll splits into Pattern.compile and
            // Matcher.replaceAll; a JSP into its compiles and finds).
            bool internal =
                in_library && is_jdk_frame(under->name) && outer_class(under->name) == outer_class(last->name);
            if (!internal) path.push_back(under);
            break;
        }
        if (in_library && is_jdk_frame(under->name) && outer_class(under->name) == outer_class(last->name)) break;
        if (is_jdk_frame(under->name) && !is_jdk_frame(last->name) && !generated) in_library = true;
        if (!is_jdk_frame(under->name) && !is_generated_frame(under->name)) in_library = false;
        path.push_back(under);
    }
    if (path.empty()) return;
    while (path.size() > 1 && is_generated_frame(path.back()->name)) path.pop_back();
    const CallNode* hot = path.back();
    if (hot->total < kHotFrameMinShare * total) return;
    const CallNode* caller = nullptr;
    for (size_t i = path.size() - 1; i-- > 0;) {
        // Not a frame of the same name (a native function calling its own alias, a recursion): that says nothing.
        if (!is_generated_frame(path[i]->name) && path[i]->name != hot->name) {
            caller = path[i];
            break;
        }
    }
    std::string evidence =
        format("%.0f%% of the CPU samples have ", 100 * hot->total / total) + hot->name + " on the stack";
    if (caller != nullptr) {
        evidence += ", called from " + caller->name + format(" (%.0f%%)", 100 * caller->total / total);
    }
    evidence +=
        format("; CPU %.0f%% of the ", 100 * cpu_share(diagnosis)) + cpus_text(diagnosis.cpus_available) + " available";
    verdicts.push_back(
        Verdict{"Hot frame: " + short_name(hot->name) + format(", %.0f%% of CPU", 100 * hot->total / total),
                evidence,
                {VerdictTab::kCpu, VerdictTab::kThreads}});
}

}  // namespace

GcPauses gc_pauses(const std::vector<MemoryReport>& series) {
    GcPauses pauses;
    if (series.size() < 2) return pauses;
    for (const CollectorStats& last : series.back().collectors) {
        if (!is_pause_collector(last.name)) continue;
        for (const CollectorStats& first : series.front().collectors) {
            if (first.name != last.name) continue;
            pauses.milliseconds += last.time_ms - first.time_ms;
            pauses.collections += last.count - first.count;
        }
    }
    return pauses;
}

std::vector<Verdict> diagnosis_verdicts(const Diagnosis& diagnosis) {
    std::vector<Verdict> verdicts;
    add_deadlock_verdicts(diagnosis, verdicts);
    add_memory_verdict(diagnosis, verdicts);
    add_lock_verdict(diagnosis, verdicts);
    add_waiting_verdict(diagnosis, verdicts);
    add_hot_frame_verdict(diagnosis, verdicts);
    add_jit_verdict(diagnosis, verdicts);
    if (verdicts.empty()) {
        verdicts.push_back(Verdict{"Nothing stands out",
                                   format("CPU %.0f%% of the ", 100 * cpu_share(diagnosis)) +
                                       cpus_text(diagnosis.cpus_available) +
                                       " available, no deadlock, no memory pressure, no lock contention",
                                   {VerdictTab::kCpu, VerdictTab::kMemory}});
    }
    return verdicts;
}

}  // namespace hotframe
