#include "agent/options.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <initializer_list>
#include <limits>
#include <utility>

namespace hotframe {

namespace {

constexpr uint64_t kMinIntervalNs = 10'000;             // 10 us: below this a JVM does little but sample
constexpr uint64_t kMaxIntervalNs = 3'600'000'000'000;  // one hour

constexpr uint64_t kMinLoopNs = 1'000'000'000;  // file names carry the time to the second
// A month: long enough for any schedule, and far from where a signed nanosecond count (std::chrono) overflows.
constexpr uint64_t kMaxLoopNs = 30ull * 24 * 3600 * 1'000'000'000;
constexpr uint64_t kMaxTimeoutNs = kMaxLoopNs;

constexpr uint64_t kDefaultWallIntervalNs = 50'000'000;    // signals wake sleeping threads: sample them less often
constexpr uint64_t kDefaultAllocInterval = 512 * 1024;     // HotSpot's own default for heap sampling
constexpr uint64_t kMaxAllocInterval = uint64_t{1} << 30;  // SetHeapSamplingInterval takes a jint

// Small enough for a soak test to reach in one second; a real profile wants megabytes.
constexpr uint64_t kMinMemoryLimit = uint64_t{256} << 10;
constexpr uint64_t kMaxMemoryLimit = uint64_t{16} << 30;  // more than this is a leak, not a profile

std::optional<uint64_t> parse_count(std::string_view text) {
    if (text.empty() || text.size() > 9) return std::nullopt;
    uint64_t value = 0;
    for (char c : text) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
        value = value * 10 + static_cast<uint64_t>(c - '0');
    }
    return value;
}

struct UnitScale {
    std::string_view unit;
    uint64_t scale;
};

// A decimal number of at most `max_digits` digits followed by one of `units` ("" for none), times that unit's
// scale; nullopt without digits, with an unknown unit, or on overflow.
std::optional<uint64_t> parse_scaled(std::string_view text, size_t max_digits, std::initializer_list<UnitScale> units) {
    size_t digits = 0;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) digits++;
    if (digits == 0 || digits > max_digits) return std::nullopt;
    uint64_t number = 0;
    for (size_t i = 0; i < digits; i++) number = number * 10 + static_cast<uint64_t>(text[i] - '0');
    std::string_view unit = text.substr(digits);
    for (const UnitScale& known : units) {
        if (unit != known.unit) continue;
        if (number > std::numeric_limits<uint64_t>::max() / known.scale) return std::nullopt;
        return number * known.scale;
    }
    return std::nullopt;
}

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string quoted(std::string_view word) { return "'" + std::string(word) + "'"; }

struct Word {
    std::string_view key;
    std::string_view value;
    bool has_value;
};

// What the words said about events, before the defaults that depend on all of them are applied.
struct EventWords {
    std::optional<EventType> execution;
    bool interval_given = false;
    bool wall = false;           // event=wall, wall=DURATION or all
    uint64_t wall_interval = 0;  // wall=DURATION
    int signal_single = 0;       // signal=N: which engine it is for depends on the others
};

Word split_word(std::string_view word) {
    size_t equals = word.find('=');
    if (equals == std::string_view::npos) return Word{word, {}, false};
    return Word{word.substr(0, equals), word.substr(equals + 1), true};
}

std::optional<Action> action_of(std::string_view key) {
    if (key == "start") return Action::kStart;
    if (key == "stop") return Action::kStop;
    if (key == "dump") return Action::kDump;
    if (key == "status") return Action::kStatus;
    if (key == "threaddump") return Action::kThreadDump;
    if (key == "memory") return Action::kMemory;
    if (key == "sample") return Action::kThreadSampling;
    if (key == "diagnose") return Action::kDiagnose;
    return std::nullopt;
}

std::string apply_event(std::string_view value, Options& options, EventWords& events) {
    if (value == "alloc") {
        if (options.alloc_interval == 0) options.alloc_interval = kDefaultAllocInterval;
        return "";
    }
    if (value == "lock") {
        options.lock = true;
        return "";
    }
    if (value == "wall") {
        events.wall = true;
        return "";
    }
    // async-profiler's `all`: here cpu, wall, alloc and lock (not its live heap, native memory or locks).
    if (value == "all") {
        for (std::string_view each : {"cpu", "wall", "alloc", "lock"}) apply_event(each, options, events);
        return "";
    }
    EventType execution;
    if (value == "cpu") {
        execution = EventType::kCpu;
    } else if (value == "itimer") {
        execution = EventType::kItimer;
    } else {
        return "unknown event " + quoted(value) + ": expected cpu, itimer, wall, alloc, lock or all";
    }
    if (events.execution && *events.execution != execution) {
        return std::string("two cpu events: '") + event_name(*events.execution) + "' and " + quoted(value) +
               " (cpu or itimer per session; wall, alloc and lock go beside it)";
    }
    events.execution = execution;
    return "";
}

// signal=N (the cpu signal, or the wall one when wall runs alone) or signal=CPU/WALL.
std::string apply_signal(std::string_view value, Options& options, EventWords& events) {
    auto one = [](std::string_view text) -> int {
        std::optional<uint64_t> number = parse_count(text);
        // Signals HotSpot leaves alone: SIGUSR1 (10), SIGALRM (14), SIGVTALRM (26), SIGPROF (27). HotSpot uses
        // SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGQUIT, SIGUSR2 and the shutdown signals. Not the real-time ones:
        // they queue, and a perf event whose real-time signal cannot be queued (a full RLIMIT_SIGPENDING) falls
        // back to SIGIO, whose default action ends the JVM.
        if (!number || !(*number == 10 || *number == 14 || *number == 26 || *number == 27)) return 0;
        return static_cast<int>(*number);
    };
    size_t slash = value.find('/');
    if (slash == std::string_view::npos) {
        int signal = one(value);
        if (signal == 0) return "invalid signal " + quoted(value) + ": expected 10, 14, 26 or 27, or CPU/WALL";
        events.signal_single = signal;
        return "";
    }
    int cpu = one(value.substr(0, slash)), wall = one(value.substr(slash + 1));
    if (cpu == 0 || wall == 0) {
        return "invalid signal " + quoted(value) + ": expected CPU/WALL, each 10, 14, 26 or 27, e.g. signal=10/26";
    }
    options.cpu_signal = cpu;
    options.wall_signal = wall;
    return "";
}

// Applies one `key[=value]` word; returns an error text or an empty string.
std::string apply_word(const Word& word, Options& options, EventWords& events) {
    auto needs_value = [&](const char* example) -> std::string {
        if (word.has_value && !word.value.empty()) return "";
        return "option " + quoted(word.key) + " needs a value, e.g. " + example;
    };
    auto takes_no_value = [&]() -> std::string {
        if (!word.has_value) return "";
        return "option " + quoted(word.key) + " takes no value";
    };

    if (auto action = action_of(word.key)) {
        if (std::string error = takes_no_value(); !error.empty()) return error;
        if (options.action != Action::kNone && options.action != *action) {
            return std::string("two actions given: '") + action_name(options.action) + "' and " + quoted(word.key);
        }
        options.action = *action;
        return "";
    }
    if (word.key == "event") {
        if (std::string error = needs_value("event=cpu"); !error.empty()) return error;
        return apply_event(word.value, options, events);
    }
    // async-profiler's shorthand: `start,cpu` is event=cpu, `all` every event.
    if (word.key == "cpu" || word.key == "itimer" || word.key == "all" || (word.key == "wall" && !word.has_value)) {
        if (std::string error = takes_no_value(); !error.empty()) return error;
        return apply_event(word.key, options, events);
    }
    if (word.key == "wall") {
        std::optional<uint64_t> interval = parse_duration_ns(word.value);
        if (!interval || *interval < kMinIntervalNs || *interval > kMaxIntervalNs) {
            return "invalid wall " + quoted(word.value) + ": expected an interval from 10us to 1h, e.g. wall=50ms";
        }
        events.wall = true;
        events.wall_interval = *interval;
        return "";
    }
    if (word.key == "signal") {
        if (std::string error = needs_value("signal=27/26"); !error.empty()) return error;
        return apply_signal(word.value, options, events);
    }
    if (word.key == "timeout") {
        if (std::string error = needs_value("timeout=30s"); !error.empty()) return error;
        // As async-profiler's: a bare number is seconds.
        std::optional<uint64_t> timeout = parse_scaled(word.value, 12,
                                                       {{"", 1'000'000'000},
                                                        {"ms", 1'000'000},
                                                        {"s", 1'000'000'000},
                                                        {"m", 60'000'000'000},
                                                        {"h", 3'600'000'000'000}});
        if (!timeout || *timeout < 1'000'000 || *timeout > kMaxTimeoutNs) {
            return "invalid timeout " + quoted(word.value) + ": expected 1ms to 30 days, e.g. timeout=30s";
        }
        options.timeout_ns = *timeout;
        return "";
    }
    if (word.key == "alloc") {
        if (!word.has_value) return apply_event("alloc", options, events);
        std::optional<uint64_t> size = parse_size_bytes(word.value);
        if (!size || *size == 0 || *size > kMaxAllocInterval) {
            return "invalid alloc " + quoted(word.value) +
                   ": expected the bytes between samples, 1 to 1g, with an optional unit k, m or g, e.g. alloc=512k";
        }
        options.alloc_interval = *size;
        return "";
    }
    if (word.key == "lock") {
        options.lock = true;
        if (!word.has_value) return "";
        std::optional<uint64_t> threshold = parse_duration_ns(word.value);
        if (!threshold || *threshold > kMaxIntervalNs) {
            return "invalid lock " + quoted(word.value) +
                   ": expected the shortest wait to record, with a unit ns, us, ms or s, e.g. lock=1ms";
        }
        options.lock_threshold_ns = *threshold;
        return "";
    }
    // Words that only switch something on.
    static const std::pair<const char*, bool Options::*> kFlags[] = {
        {"kernel", &Options::kernel_frames}, {"ann", &Options::annotate},     {"total", &Options::total},
        {"atexit", &Options::at_exit},       {"json", &Options::json},        {"threads", &Options::per_thread},
        {"sig", &Options::signatures},       {"vmcheck", &Options::vm_check}, {"lines", &Options::lines},
    };
    for (const auto& [key, member] : kFlags) {
        if (word.key == key) {
            if (std::string error = takes_no_value(); !error.empty()) return error;
            options.*member = true;
            return "";
        }
    }
    if (word.key == "cstack") {
        if (std::string error = needs_value("cstack=fp"); !error.empty()) return error;
        options.java_stacks = JavaStacks::kAgct;
        if (word.value == "fp") {
            options.native_stacks = NativeStacks::kFramePointers;
        } else if (word.value == "dwarf") {
            options.native_stacks = NativeStacks::kDwarf;
        } else if (word.value == "no") {
            options.native_stacks = NativeStacks::kNone;
        } else if (word.value == "vm" || word.value == "vmx") {
            // vmx is async-profiler's vm with the native frames between Java ones too; until the walker
            // interleaves them it walks as vm.
            options.native_stacks = NativeStacks::kDwarf;
            options.java_stacks = JavaStacks::kVm;
        } else {
            return "unknown cstack " + quoted(word.value) + ": expected fp, dwarf, no, vm or vmx";
        }
        return "";
    }
    if (word.key == "debuginfo") {
        if (word.value == "on" || word.value == "off") {
            options.debug_files = word.value == "on";
            return "";
        }
        return "invalid debuginfo " + quoted(word.value) +
               ": expected on or off (off: native names only from the libraries themselves, not /usr/lib/debug)";
    }
    if (word.key == "interval") {
        if (std::string error = needs_value("interval=10ms"); !error.empty()) return error;
        std::optional<uint64_t> interval = parse_duration_ns(word.value);
        if (!interval) {
            return "invalid interval " + quoted(word.value) +
                   ": expected a number with an optional unit ns, us, ms or s (bare numbers are nanoseconds), "
                   "e.g. interval=10ms";
        }
        if (*interval < kMinIntervalNs) return "interval " + quoted(word.value) + " is too small: the minimum is 10us";
        if (*interval > kMaxIntervalNs) return "interval " + quoted(word.value) + " is too large: the maximum is 1h";
        options.interval_ns = *interval;
        events.interval_given = true;
        return "";
    }
    if (word.key == "file") {
        if (std::string error = needs_value("file=cpu-%p.html"); !error.empty()) return error;
        options.file = std::string(word.value);
        return "";
    }
    if (word.key == "collapsed" || word.key == "html" || word.key == "flat" || word.key == "pprof") {
        if (std::string error = takes_no_value(); !error.empty()) return error;
        if (word.key == "html") {
            options.format = OutputFormat::kHtml;
        } else if (word.key == "collapsed") {
            options.format = OutputFormat::kCollapsed;
        } else if (word.key == "flat") {
            options.format = OutputFormat::kFlat;
        } else {
            options.format = OutputFormat::kPprof;
        }
        return "";
    }
    if (word.key == "loglevel") {
        static constexpr std::array<std::string_view, 6> kLevels = {"trace", "debug", "info", "warn", "error", "off"};
        for (std::string_view level : kLevels) {
            if (word.value == level) {
                options.log_level = std::string(level);
                return "";
            }
        }
        return "unknown log level " + quoted(word.value) + ": expected trace, debug, info, warn, error or off";
    }
    if (word.key == "log") {
        if (std::string error = needs_value("log=/tmp/hotframe.log"); !error.empty()) return error;
        options.log_file = std::string(word.value);
        return "";
    }
    if (word.key == "loop") {
        if (std::string error = needs_value("loop=60s"); !error.empty()) return error;
        if (word.value == "off") {
            options.loop_off = true;
            return "";
        }
        std::optional<uint64_t> loop = parse_duration_ns(word.value);
        if (!loop || *loop < kMinLoopNs || *loop > kMaxLoopNs) {
            return "invalid loop " + quoted(word.value) + ": expected a duration from 1s to 30 days, e.g. loop=60s";
        }
        options.loop_ns = *loop;
        return "";
    }
    if (word.key == "dir") {
        if (std::string error = needs_value("dir=/var/log/profiles"); !error.empty()) return error;
        options.directory = std::string(word.value);
        return "";
    }
    if (word.key == "keep") {
        if (std::string error = needs_value("keep=10"); !error.empty()) return error;
        std::optional<uint64_t> keep = parse_count(word.value);
        if (!keep || *keep == 0 || *keep > 100000) {
            return "invalid keep " + quoted(word.value) + ": expected a number of files from 1 to 100000";
        }
        options.keep = static_cast<uint32_t>(*keep);
        return "";
    }
    if (word.key == "include" || word.key == "exclude") {
        if (std::string error = needs_value("include=http-nio-*"); !error.empty()) return error;
        (word.key == "include" ? options.include : options.exclude).emplace_back(word.value);
        return "";
    }
    if (word.key == "duration") {
        if (std::string error = needs_value("duration=30s"); !error.empty()) return error;
        std::optional<uint64_t> duration = parse_duration_ns(word.value);
        if (!duration || *duration < 10'000'000 || *duration > kMaxIntervalNs) {
            return "invalid duration " + quoted(word.value) + ": expected 10ms to 1h, e.g. duration=30s";
        }
        options.duration_ns = *duration;
        return "";
    }
    if (word.key == "tid") {
        if (std::string error = needs_value("tid=4242"); !error.empty()) return error;
        std::optional<uint64_t> tid = parse_count(word.value);
        if (!tid || *tid == 0 || *tid > 4194304) return "invalid tid " + quoted(word.value) + ": expected a thread id";
        options.sample_tid = static_cast<int>(*tid);
        return "";
    }
    if (word.key == "memlimit") {
        if (std::string error = needs_value("memlimit=256m"); !error.empty()) return error;
        std::optional<uint64_t> limit = parse_size_bytes(word.value);
        if (!limit || *limit < kMinMemoryLimit || *limit > kMaxMemoryLimit) {
            return "invalid memlimit " + quoted(word.value) + ": expected 256k to 16g, e.g. memlimit=256m";
        }
        options.memory_limit = *limit;
        return "";
    }
    if (word.key == "reply") {
        if (std::string error = needs_value("reply=/tmp/answer"); !error.empty()) return error;
        options.reply_file = std::string(word.value);
        return "";
    }
    return "unknown option " + quoted(word.key);
}

// Rules that concern several words together.
ParsedOptions validate(ParsedOptions parsed) {
    const Options& options = parsed.options;
    bool report = options.action == Action::kThreadDump || options.action == Action::kMemory;
    bool cpu_signal_used = options.event != EventType::kNone;
    if (cpu_signal_used && options.wall_interval_ns != 0 && options.cpu_signal == options.wall_signal) {
        // A pending wall signal would swallow a perf_event overflow, whose timer only the handler re-arms.
        parsed.error = "cpu and wall need two different signals (signal=CPU/WALL), e.g. signal=27/26";
    } else if (options.event == EventType::kItimer && options.cpu_signal != 27) {
        parsed.error = "itimer always sends SIGPROF (27): signal= cannot change it; use event=cpu";
    } else if (parsed.given("signal") && options.action != Action::kStart) {
        parsed.error = "signal= applies to start: the signals of the session's cpu and wall engines";
    } else if (parsed.given("timeout") && options.action != Action::kStart) {
        parsed.error = "timeout= applies to start: the session stops and writes its output after that long";
    } else if (options.loop_ns != 0 && options.directory.empty() && options.action != Action::kMemory &&
               options.file.find("%t") == std::string::npos) {
        parsed.error = "loop= writes one file per interval: give a file= pattern with %t, or dir=";
    } else if (options.loop_ns != 0 && options.action == Action::kMemory && options.directory.empty() &&
               options.file.empty()) {
        parsed.error = "a memory time series needs file= (one JSON line per interval) or dir=";
    } else if ((options.loop_off || options.at_exit) && !report) {
        parsed.error = "loop=off and atexit apply to threaddump and memory";
    } else if (options.keep != 0 && options.loop_ns == 0) {
        parsed.error = "keep= only applies to loop=: nothing else writes a series of files";
    } else if (!options.directory.empty() && !options.file.empty()) {
        parsed.error = "give either file= or dir=, not both";
    } else if (options.json && options.action != Action::kThreadDump && options.action != Action::kMemory) {
        parsed.error = "json applies to threaddump and memory; for a JSON hot-frame report use flat with a .json file";
    } else if (parsed.given("duration") && options.action != Action::kThreadSampling &&
               options.action != Action::kDiagnose) {
        parsed.error =
            "duration= is the window of 'sample' and 'diagnose'; to stop a started session after a while, use "
            "timeout=DURATION";
    } else if (parsed.given("tid") && options.action != Action::kThreadSampling) {
        parsed.error = "tid= applies to 'sample' (the thread to watch)";
    } else if (options.action == Action::kDiagnose &&
               (parsed.given("event") || options.loop_ns != 0 || options.per_thread || options.format)) {
        parsed.error = "diagnose chooses its own events, threads and HTML page; give duration= and file=";
    } else if (options.vm_check && options.java_stacks != JavaStacks::kVm) {
        parsed.error = "vmcheck compares the vm walker with AsyncGetCallTrace: it needs cstack=vm";
    } else if (options.annotate && (options.format || !options.file.empty()) &&
               output_format_of(options) != OutputFormat::kCollapsed) {
        parsed.error =
            "ann marks frame kinds in collapsed output; this output is not collapsed (the HTML already "
            "colours kinds apart)";
    } else if (report &&
               (!options.include.empty() || !options.exclude.empty() || options.per_thread || options.format)) {
        parsed.error = std::string("include=, exclude=, threads and output formats do not apply to ") +
                       action_name(options.action);
    }
    return parsed;
}

}  // namespace

std::optional<uint64_t> parse_duration_ns(std::string_view text) {
    return parse_scaled(text, 18, {{"", 1}, {"ns", 1}, {"us", 1'000}, {"ms", 1'000'000}, {"s", 1'000'000'000}});
}

std::optional<uint64_t> parse_size_bytes(std::string_view text) {
    constexpr uint64_t kKib = 1024, kMib = kKib * 1024, kGib = kMib * 1024;
    return parse_scaled(text, 15,
                        {{"", 1},
                         {"b", 1},
                         {"k", kKib},
                         {"K", kKib},
                         {"kb", kKib},
                         {"m", kMib},
                         {"M", kMib},
                         {"mb", kMib},
                         {"g", kGib},
                         {"G", kGib},
                         {"gb", kGib}});
}

std::vector<std::string> session_event_names(const Options& options) {
    std::vector<std::string> names;
    if (options.event != EventType::kNone) names.emplace_back(event_name(options.event));
    if (options.wall_interval_ns != 0) names.emplace_back("wall");
    if (options.alloc_interval != 0) names.emplace_back("alloc");
    if (options.lock) names.emplace_back("lock");
    return names;
}

ParsedOptions parse_options(std::string_view text) {
    ParsedOptions parsed;
    if (text.empty()) return parsed;
    EventWords events;
    std::vector<std::string_view> keys_seen;
    size_t start = 0;
    while (start <= text.size()) {
        size_t comma = text.find(',', start);
        if (comma == std::string_view::npos) comma = text.size();
        std::string_view word = text.substr(start, comma - start);
        if (word.empty()) {
            parsed.error = "empty option in " + quoted(text) + " (two commas in a row, or a comma at an end)";
            return parsed;
        }
        Word split = split_word(word);
        // One value per key: a second file= or reply= would silently win or lose. include=, exclude= and event=
        // add up, so they may repeat.
        bool repeatable = split.key == "include" || split.key == "exclude" || split.key == "event";
        if (!repeatable && std::find(keys_seen.begin(), keys_seen.end(), split.key) != keys_seen.end()) {
            parsed.error = "option " + quoted(split.key) + " given twice in " + quoted(text);
            return parsed;
        }
        keys_seen.push_back(split.key);
        std::string error = apply_word(split, parsed.options, events);
        if (!error.empty()) {
            parsed.error = error + " in " + quoted(text);
            return parsed;
        }
        start = comma + 1;
    }
    // Without a cpu event, cpu is profiled, unless wall, alloc or lock was asked for on its own.
    Options& options = parsed.options;
    if (events.execution) {
        options.event = *events.execution;
    } else {
        bool other = events.wall || options.alloc_interval != 0 || options.lock;
        options.event = other ? EventType::kNone : EventType::kCpu;
    }
    if (events.wall) {
        // interval= is the cpu event's; wall alone takes it too, and its own default otherwise.
        bool alone = options.event == EventType::kNone;
        options.wall_interval_ns = events.wall_interval != 0        ? events.wall_interval
                                   : alone && events.interval_given ? options.interval_ns
                                                                    : kDefaultWallIntervalNs;
        if (alone) options.interval_ns = options.wall_interval_ns;
    }
    if (events.signal_single != 0) {
        (options.event == EventType::kNone && events.wall ? options.wall_signal : options.cpu_signal) =
            events.signal_single;
    }
    parsed.given_keys.assign(keys_seen.begin(), keys_seen.end());
    // A diagnosis is meant to be long enough to see a symptom's shape (GC cycles, lock convoys), short enough to
    // wait for: the half minute the consoles use.
    if (parsed.options.action == Action::kDiagnose && !parsed.given("duration")) {
        parsed.options.duration_ns = 30'000'000'000;
    }
    return validate(parsed);
}

std::string find_reply_file(std::string_view text) {
    std::string_view key = "reply=";
    size_t start = 0;
    while (start < text.size()) {
        size_t comma = text.find(',', start);
        if (comma == std::string_view::npos) comma = text.size();
        std::string_view word = text.substr(start, comma - start);
        if (word.substr(0, key.size()) == key) return std::string(word.substr(key.size()));
        start = comma + 1;
    }
    return "";
}

bool is_json_file(std::string_view path) { return ends_with(path, ".json") || ends_with(path, ".jsonl"); }

bool wants_json(const Options& options) { return options.json || is_json_file(options.file); }

const char* event_name(EventType event) {
    switch (event) {
        case EventType::kCpu:
            return "cpu";
        case EventType::kItimer:
            return "itimer";
        case EventType::kNone:
            break;
    }
    return "none";
}

const char* action_name(Action action) {
    switch (action) {
        case Action::kStart:
            return "start";
        case Action::kStop:
            return "stop";
        case Action::kDump:
            return "dump";
        case Action::kStatus:
            return "status";
        case Action::kThreadDump:
            return "threaddump";
        case Action::kMemory:
            return "memory";
        case Action::kThreadSampling:
            return "sample";
        case Action::kDiagnose:
            return "diagnose";
        case Action::kNone:
            break;
    }
    return "none";
}

OutputFormat output_format_of(const Options& options) {
    if (options.format) return *options.format;
    const std::string& file = options.file;
    if (ends_with(file, ".collapsed") || ends_with(file, ".folded") || ends_with(file, ".txt")) {
        return OutputFormat::kCollapsed;
    }
    if (ends_with(file, ".pb.gz") || ends_with(file, ".pb") || ends_with(file, ".pprof")) return OutputFormat::kPprof;
    return OutputFormat::kHtml;
}

}  // namespace hotframe
