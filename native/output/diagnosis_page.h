// A diagnosis as data (what one `diagnose` window collected: the cpu, wall, alloc and lock profiles, a memory
// series, each thread's kernel CPU time and JVMTI states, the thread dump at the end, and the verdicts drawn
// from them) and its rendering as one self-contained HTML page with the tabs Summary, Flame graph, Memory,
// Threads and Thread dump (template: diagnosis_page.html; the data its tabs show: diagnosis_page_data.h), and
// as the terminal's summary text.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "native/aggregate/profile.h"
#include "native/output/memory_report.h"
#include "native/output/thread_dump.h"

namespace hotframe {

// One thread seen during the window: its kernel CPU time and how often each java.lang.Thread.State was seen.
struct DiagnosedThread {
    std::string name;
    int native_id = -1;
    double cpu_seconds = 0;                  // kernel CPU time (user + system) used during the window
    std::map<std::string, uint64_t> states;  // RUNNABLE, BLOCKED, WAITING, TIMED_WAITING: ticks seen in it
    bool java = true;                        // false for GC, JIT and VM threads JVMTI does not show
};

// What a verdict is about, and so which tab shows its evidence.
enum class VerdictTab { kSummary, kCpu, kWall, kAlloc, kLock, kMemory, kThreads, kDump };

struct Verdict {
    std::string title;             // "Deadlock: 2 threads (orders-1, orders-2)"
    std::string evidence;          // the numbers behind it
    std::vector<VerdictTab> tabs;  // where to look, first the most useful
};

struct Diagnosis {
    int pid = 0;
    int64_t started_ms = 0;            // epoch milliseconds
    double wall_seconds = 0;           // length of the window
    double cpus_available = 0;         // affinity and cgroup quota
    double cpu_seconds = 0;            // the process's CPU time in the window
    std::vector<Profile> profiles;     // "cpu", "wall", "alloc", "lock", each with per-thread roots
    std::vector<MemoryReport> memory;  // one a second
    std::vector<DiagnosedThread> threads;
    uint64_t state_ticks = 0;  // how many times the threads' states were read
    ThreadDump dump;
    std::vector<Deadlock> deadlocks;
    std::vector<Verdict> verdicts;  // native/analysis/diagnosis_verdicts.h, most urgent first
};

const char* verdict_tab_name(VerdictTab tab);  // "Wall", "Memory", ... as the page names them

// `gzip` compresses the flame graph data (the bulk of a page), stored then as binary columns (render_html_columns
// in html.h) that the page inflates in the browser (DecompressionStream) when a graph is first shown and views in
// place as typed arrays, with no JSON to parse for its million numbers; without it the data is plain JSON.
using Compressor = std::function<std::string(std::string_view)>;
std::string render_diagnosis_page(const Diagnosis& diagnosis, const Compressor& gzip = nullptr);

// The summary as the terminal shows it when the command ends.
std::string render_diagnosis_text(const Diagnosis& diagnosis, const std::string& page_path);

// Whether a collector's bean counts pauses (G1 Young/Old Generation, PS Scavenge, ZGC Pauses) rather than
// concurrent cycles (G1 Concurrent GC, ZGC Cycles, Shenandoah Cycles), which do not stop the application.
bool is_pause_collector(const std::string& name);

// The profile of `event` in the diagnosis, or nullptr.
const Profile* find_profile(const Diagnosis& diagnosis, const std::string& event);

}  // namespace hotframe
