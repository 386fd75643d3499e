// Parses the agent's option string, async-profiler's grammar: comma-separated `key[=value]` words with the
// action first, e.g. "start,event=cpu,interval=10ms,file=cpu-%p.html". All validation and all error texts
// live here; a string that does not parse gives one message naming the offending word.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotframe {

enum class Action { kNone, kStart, kStop, kDump, kStatus, kThreadDump, kMemory, kThreadSampling, kDiagnose };
// The CPU event of a session: what sends the cpu signal. kNone when the session has no cpu or itimer (only wall,
// alloc or lock). Wall is not one of them: it has a signal of its own and can run beside cpu (wall_interval_ns).
enum class EventType { kNone, kCpu, kItimer };
// html and collapsed flame graphs, the flat hot-frame report (text, or JSON for a .json file), pprof (gzipped).
enum class OutputFormat { kHtml, kCollapsed, kFlat, kPprof };
// cstack=: how native frames are found (frame pointers or DWARF rules), or none.
enum class NativeStacks { kNone, kFramePointers, kDwarf };
// Who walks the Java frames: HotSpot's own structures (cstack=vm|vmx, native frames as dwarf), or
// AsyncGetCallTrace (cstack=dwarf|fp|no, as in async-profiler). Without a cstack= word: vm on the JDKs the suite
// tests (17 and 25), AsyncGetCallTrace on others (decided at start, see Profiler::vm_walker_locked).
enum class JavaStacks { kDefault, kAgct, kVm };

struct Options {
    Action action = Action::kNone;
    EventType event = EventType::kCpu;
    uint64_t interval_ns = 10'000'000;  // of the cpu event; of wall when wall runs alone (50ms unless given)
    uint64_t wall_interval_ns = 0;      // event=wall or wall=DURATION: wall-clock sampling; 0 is off
    // signal=N or N/M: the signals of the cpu and the wall engines (async-profiler's defaults).
    int cpu_signal = 27;          // SIGPROF
    int wall_signal = 26;         // SIGVTALRM
    uint64_t timeout_ns = 0;      // timeout=: a started session stops and writes its output after this long
    uint64_t alloc_interval = 0;  // event=alloc or alloc=SIZE: bytes between allocation samples; 0 is off
    bool lock = false;            // event=lock or lock=DURATION
    // lock=DURATION: contended waits shorter than this are not recorded. Waits of a few microseconds end in a
    // spin or a single futex call and weigh little; recording each would cost more than it tells.
    uint64_t lock_threshold_ns = 10'000;
    bool total = false;          // total: flame graph widths by weight (bytes, ns) instead of samples
    bool annotate = false;       // ann: frame-kind suffixes (_[j], _[i], _[k]) in collapsed output
    bool kernel_frames = false;  // kernel: the kernel part of cpu samples (perf_event call chains)
    NativeStacks native_stacks = NativeStacks::kDwarf;  // cstack=dwarf (default) / fp / no
    JavaStacks java_stacks = JavaStacks::kDefault;      // cstack=vm / vmx, or AsyncGetCallTrace
    bool vm_check = false;    // vmcheck: with cstack=vm, walk each sample both ways and count where they agree
    bool debug_files = true;  // debuginfo=off: no names from separate debug files
    bool signatures = false;  // sig: C++ parameter lists and Java descriptors kept
    bool lines = false;       // lines: Java frames "Class.method:123" in collapsed, HTML
    std::string file;         // pattern, before %p/%t expansion; empty: the default name
    std::optional<OutputFormat> format;  // from a `collapsed`/`html` word; else from the file's extension
    std::string log_level;               // empty: leave the logger as it is (attach commands), "info" at start-up
    std::string log_file;
    uint64_t loop_ns = 0;                   // periodic dumps: one file per interval, each with that interval's samples
    std::string directory;                  // dir=: where loop files go when no file= pattern is given
    uint32_t keep = 0;                      // keep=: with loop, keep only the newest N files (0 keeps all)
    std::vector<std::string> include;       // include=: keep samples with a frame or thread name matching one of them
    std::vector<std::string> exclude;       // exclude=: drop samples with a frame or thread name matching one of them
    bool per_thread = false;                // threads: the thread's name as the root frame, one tower per thread
    uint64_t duration_ns = 10'000'000'000;  // duration=: the window of a thread sampling or a diagnosis
    int sample_tid = 0;                     // tid=: sample the thread with this kernel id
    bool json = false;
    bool loop_off = false;   // loop=off: ends the periodic threaddump or memory reports
    bool at_exit = false;    // atexit: write this threaddump or memory report when the JVM ends                      //
                             // json: JSON instead of text, for threaddump
    std::string reply_file;  // reply=: where an attach command writes its answer (used by the launcher)
    // memlimit=: what the call-trace table of a session (or of one loop= interval) may hold, in bytes.
    uint64_t memory_limit = 128ull << 20;
};

struct ParsedOptions {
    Options options;
    std::string error;                    // empty when the string parsed
    std::vector<std::string> given_keys;  // the keys the string named, in order
    bool ok() const { return error.empty(); }
    bool given(std::string_view key) const {
        for (const std::string& given_key : given_keys) {
            if (given_key == key) return true;
        }
        return false;
    }
};

ParsedOptions parse_options(std::string_view text);

// "10ms" -> 10'000'000. Bare numbers are nanoseconds. nullopt if it is not a valid duration.
std::optional<uint64_t> parse_duration_ns(std::string_view text);

// "512k" -> 524288; units k, m, g (powers of 1024), bare numbers are bytes. nullopt if it is not a size.
std::optional<uint64_t> parse_size_bytes(std::string_view text);

// The names of the events a session records: "cpu" (or "itimer"), "wall", "alloc", "lock", in that order.
std::vector<std::string> session_event_names(const Options& options);

// The reply= path in an option string, found even when the rest does not parse, so that a parse error can
// still be reported to the caller that is waiting for it. Empty if there is none.
std::string find_reply_file(std::string_view text);

const char* event_name(EventType event);
const char* action_name(Action action);

// json was asked for, by the word or by a .json file name.
bool wants_json(const Options& options);

// A .json or .jsonl file name.
bool is_json_file(std::string_view path);

// The output format: an explicit word wins, then the file's extension (.html/.htm, .collapsed/.folded/.txt,
// .pb.gz/.pb/.pprof), then HTML.
OutputFormat output_format_of(const Options& options);

}  // namespace hotframe
