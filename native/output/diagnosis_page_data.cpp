#include "native/output/diagnosis_page_data.h"

#include <map>
#include <unordered_map>

#include "native/output/html.h"
#include "native/output/value_meaning.h"

namespace hotframe {

namespace {

// A thread's most frequent stack is shown to this depth, leaf first: enough to recognise what it does.
constexpr size_t kTopStackFrames = 12;

// Strings of the page's data go through escape_js_string: valid JSON, and no "</script>" can end the element.
void append_string(std::string& out, std::string_view text) {
    out.push_back('"');
    out.append(escape_js_string(text));
    out.push_back('"');
}

void append_number(std::string& out, double value) {
    // Whole numbers (bytes, epoch milliseconds, counts) in full; fractions (seconds) to six digits.
    char text[40];
    bool whole = value == static_cast<double>(static_cast<int64_t>(value)) && value < 1e18 && value > -1e18;
    std::snprintf(text, sizeof(text), whole ? "%.0f" : "%.6g", value);
    out.append(text);
}

bool is_java_frame(const ProfileFrame& frame) {
    return frame.kind == FrameKind::kInterpreted || frame.kind == FrameKind::kJitCompiled ||
           frame.kind == FrameKind::kInlined;
}

// A thread's stack as its table row shows it, leaf first: the state pseudo-frame and, for a thread that runs
// Java, only its Java frames (the futex and park frames under a waiting Java thread say less than its Java
// stack); a thread without Java frames (GC, compiler) keeps its native ones.
std::vector<std::string> row_stack(const Profile& profile, const ProfileStack& stack) {
    bool java = false;
    for (uint32_t frame : stack.frames) java = java || is_java_frame(profile.frames[frame]);
    std::vector<std::string> shown;
    for (size_t i = stack.frames.size(); i > 1 && shown.size() < kTopStackFrames; i--) {
        const ProfileFrame& frame = profile.frames[stack.frames[i - 1]];
        bool state = i == stack.frames.size() && frame.kind == FrameKind::kPseudo;
        if (!java || state || is_java_frame(frame)) shown.push_back(frame.name);
    }
    return shown;
}

void append_key(std::string& out, std::string_view key, bool first = false) {
    if (!first) out.push_back(',');
    append_string(out, key);
    out.push_back(':');
}

template <typename Number, typename Field>
void append_series(std::string& out, std::string_view key, const std::vector<Number>& items, Field field) {
    append_key(out, key);
    out.push_back('[');
    for (size_t i = 0; i < items.size(); i++) {
        if (i > 0) out.push_back(',');
        append_number(out, static_cast<double>(field(items[i])));
    }
    out.push_back(']');
}

// The kernel thread id in a per-thread root frame "[name tid=42]", or -1.
int tid_of_root(const std::string& name) {
    size_t at = name.rfind(" tid=");
    if (name.empty() || name.front() != '[' || name.back() != ']' || at == std::string::npos) return -1;
    return std::atoi(name.c_str() + at + 5);
}

struct ThreadProfileFacts {
    std::string root;                    // the thread's root frame in the flame graphs
    std::vector<std::string> top_stack;  // leaf first
    uint64_t top_samples = 0;
    bool from_wall = false;
    std::vector<std::string> events;  // events with samples of this thread
};

std::unordered_map<int, ThreadProfileFacts> thread_profile_facts(const Diagnosis& diagnosis) {
    std::unordered_map<int, ThreadProfileFacts> facts;
    // The most frequent stack comes from wall samples (running or not), else from cpu samples.
    for (const char* event : {"wall", "cpu", "alloc", "lock"}) {
        const Profile* profile = find_profile(diagnosis, event);
        if (profile == nullptr) continue;
        bool stacks_from_here = std::string(event) == "wall" || std::string(event) == "cpu";
        std::unordered_map<int, bool> seen;
        for (const ProfileStack& stack : profile->stacks) {
            if (stack.frames.empty()) continue;
            const std::string& root = profile->frames[stack.frames.front()].name;
            int tid = tid_of_root(root);
            if (tid < 0) continue;
            ThreadProfileFacts& thread = facts[tid];
            thread.root = root;
            if (!seen[tid]) {
                thread.events.push_back(event);
                seen[tid] = true;
            }
            bool wall = std::string(event) == "wall";
            if (stacks_from_here && (wall || !thread.from_wall) &&
                (thread.top_stack.empty() || stack.samples > thread.top_samples)) {
                thread.from_wall = wall;
                thread.top_samples = stack.samples;
                thread.top_stack = row_stack(*profile, stack);
            }
        }
    }
    return facts;
}

void append_verdicts(std::string& out, const Diagnosis& diagnosis) {
    append_key(out, "verdicts");
    out.push_back('[');
    for (size_t i = 0; i < diagnosis.verdicts.size(); i++) {
        const Verdict& verdict = diagnosis.verdicts[i];
        out.append(i == 0 ? "{" : ",{");
        append_key(out, "title", true);
        append_string(out, verdict.title);
        append_key(out, "evidence");
        append_string(out, verdict.evidence);
        append_key(out, "tabs");
        out.push_back('[');
        for (size_t t = 0; t < verdict.tabs.size(); t++) {
            if (t > 0) out.push_back(',');
            append_string(out, verdict_tab_name(verdict.tabs[t]));
        }
        out.append("]}");
    }
    out.push_back(']');
}

void append_memory(std::string& out, const Diagnosis& diagnosis) {
    const std::vector<MemoryReport>& series = diagnosis.memory;
    append_key(out, "memory");
    out.push_back('{');
    int64_t origin = series.empty() ? 0 : series.front().time_ms;
    append_key(out, "t", true);
    out.push_back('[');
    for (size_t i = 0; i < series.size(); i++) {
        if (i > 0) out.push_back(',');
        append_number(out, static_cast<double>(series[i].time_ms - origin) / 1000);
    }
    out.push_back(']');
    append_series(out, "rss", series, [](const MemoryReport& r) { return r.rss; });
    append_key(out, "pools");
    out.push_back('[');
    // Pools by the latest report's list; a pool missing from an earlier report reads 0 there.
    const std::vector<MemoryPool> none;
    const std::vector<MemoryPool>& names = series.empty() ? none : series.back().pools;
    for (size_t p = 0; p < names.size(); p++) {
        out.append(p == 0 ? "{" : ",{");
        append_key(out, "name", true);
        append_string(out, names[p].name);
        append_key(out, "heap");
        out.append(names[p].heap ? "true" : "false");
        auto field_of = [&](auto field) {
            return [&names, p, field](const MemoryReport& report) -> double {
                for (const MemoryPool& pool : report.pools) {
                    if (pool.name == names[p].name) return static_cast<double>(field(pool));
                }
                return 0;
            };
        };
        append_series(out, "used", series, field_of([](const MemoryPool& pool) { return pool.used; }));
        append_series(out, "committed", series, field_of([](const MemoryPool& pool) { return pool.committed; }));
        append_series(out, "max", series, field_of([](const MemoryPool& pool) { return pool.max; }));
        append_key(out, "usedAfterGc");
        append_number(out, static_cast<double>(names[p].used_after_gc));
        out.push_back('}');
    }
    out.push_back(']');
    // Each collector's count and time at every point: the page marks where pausing collections happened.
    append_key(out, "collectors");
    out.push_back('[');
    const std::vector<CollectorStats> no_collectors;
    const std::vector<CollectorStats>& collectors = series.empty() ? no_collectors : series.back().collectors;
    for (size_t c = 0; c < collectors.size(); c++) {
        out.append(c == 0 ? "{" : ",{");
        append_key(out, "name", true);
        append_string(out, collectors[c].name);
        append_key(out, "pause");
        out.append(is_pause_collector(collectors[c].name) ? "true" : "false");
        auto stat_of = [&](bool time) {
            return [&collectors, c, time](const MemoryReport& report) -> double {
                for (const CollectorStats& stats : report.collectors) {
                    if (stats.name == collectors[c].name)
                        return static_cast<double>(time ? stats.time_ms : stats.count);
                }
                return 0;
            };
        };
        append_series(out, "count", series, stat_of(false));
        append_series(out, "ms", series, stat_of(true));
        out.push_back('}');
    }
    out.append("]}");
}

void append_threads(std::string& out, const Diagnosis& diagnosis) {
    std::unordered_map<int, ThreadProfileFacts> facts = thread_profile_facts(diagnosis);
    append_key(out, "threads");
    out.push_back('[');
    for (size_t i = 0; i < diagnosis.threads.size(); i++) {
        const DiagnosedThread& thread = diagnosis.threads[i];
        out.append(i == 0 ? "{" : ",{");
        append_key(out, "name", true);
        append_string(out, thread.name);
        append_key(out, "tid");
        append_number(out, thread.native_id);
        append_key(out, "java");
        out.append(thread.java ? "true" : "false");
        append_key(out, "cpu");
        append_number(out, thread.cpu_seconds);
        append_key(out, "states");
        out.push_back('{');
        bool first = true;
        for (const auto& [state, ticks] : thread.states) {
            append_key(out, state, first);
            append_number(out, static_cast<double>(ticks));
            first = false;
        }
        out.push_back('}');
        auto found = facts.find(thread.native_id);
        append_key(out, "root");
        append_string(out, found == facts.end() ? "" : found->second.root);
        append_key(out, "events");
        out.push_back('[');
        if (found != facts.end()) {
            for (size_t e = 0; e < found->second.events.size(); e++) {
                if (e > 0) out.push_back(',');
                append_string(out, found->second.events[e]);
            }
        }
        out.push_back(']');
        append_key(out, "stack");
        out.push_back('[');
        if (found != facts.end()) {
            for (size_t f = 0; f < found->second.top_stack.size(); f++) {
                if (f > 0) out.push_back(',');
                append_string(out, found->second.top_stack[f]);
            }
        }
        out.append("]}");
    }
    out.push_back(']');
}

void append_dump(std::string& out, const Diagnosis& diagnosis) {
    append_key(out, "dump");
    append_string(out, render_thread_dump_text(diagnosis.dump, diagnosis.deadlocks));
    append_key(out, "deadlocks");
    out.push_back('[');
    for (size_t d = 0; d < diagnosis.deadlocks.size(); d++) {
        if (d > 0) out.push_back(',');
        out.push_back('[');
        const std::vector<size_t>& threads = diagnosis.deadlocks[d].threads;
        for (size_t t = 0; t < threads.size(); t++) {
            if (t > 0) out.push_back(',');
            append_string(out, diagnosis.dump.threads[threads[t]].name);
        }
        out.push_back(']');
    }
    out.push_back(']');
}

// Each event's flame graph is the flame graph page we already have, shown in a frame: the page itself (the
// viewer, without data) travels once as a string, and each event's data as a JSON script element that the
// frame asks its parent for, parsed only when that graph is first shown, so that opening the page does not pay
// for graphs nobody looks at. Per-thread roots make the thread filter a zoom into one root.
void append_flame_shell(std::string& out, const Diagnosis& diagnosis) {
    append_key(out, "flames");
    out.push_back('{');
    bool first = true;
    for (const Profile& profile : diagnosis.profiles) {
        // An event without samples gets no graph: the page says so instead of drawing an empty one.
        if (profile.total_samples() == 0) continue;
        append_key(out, profile.event, first);
        out.append("true");
        first = false;
    }
    out.push_back('}');
    HtmlOptions shell;
    shell.title = "hotframe flame graph of pid " + std::to_string(diagnosis.pid);
    shell.data_from = "window.parent.diagnosisFlameData()";
    append_key(out, "flameShell");
    append_string(out, render_html(Profile{}, shell));
}

}  // namespace

std::string diagnosis_page_data(const Diagnosis& diagnosis) {
    std::string out = "{";
    append_key(out, "pid", true);
    append_number(out, diagnosis.pid);
    append_key(out, "started");
    append_number(out, static_cast<double>(diagnosis.started_ms));
    append_key(out, "seconds");
    append_number(out, diagnosis.wall_seconds);
    append_key(out, "cpus");
    append_number(out, diagnosis.cpus_available);
    append_key(out, "cpuSeconds");
    append_number(out, diagnosis.cpu_seconds);
    append_key(out, "stateTicks");
    append_number(out, static_cast<double>(diagnosis.state_ticks));
    append_verdicts(out, diagnosis);
    append_memory(out, diagnosis);
    append_threads(out, diagnosis);
    append_dump(out, diagnosis);
    append_flame_shell(out, diagnosis);
    out.push_back('}');
    return out;
}

}  // namespace hotframe
