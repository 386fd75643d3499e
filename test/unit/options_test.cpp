#include "agent/options.h"

#include <catch2/catch.hpp>

using namespace hotframe;

TEST_CASE("a full start string parses into every field", "[options]") {
    ParsedOptions parsed =
        parse_options("start,event=itimer,interval=500us,file=/tmp/cpu-%p.collapsed,loglevel=debug,log=/tmp/hf.log");
    REQUIRE(parsed.ok());
    const Options& options = parsed.options;
    CHECK(options.action == Action::kStart);
    CHECK(options.event == EventType::kItimer);
    CHECK(options.interval_ns == 500'000);
    CHECK(options.file == "/tmp/cpu-%p.collapsed");
    CHECK(options.log_level == "debug");
    CHECK(options.log_file == "/tmp/hf.log");
    CHECK(output_format_of(options) == OutputFormat::kCollapsed);
}

TEST_CASE("defaults are cpu at 10 ms with HTML output", "[options]") {
    ParsedOptions parsed = parse_options("start");
    REQUIRE(parsed.ok());
    CHECK(parsed.options.event == EventType::kCpu);
    CHECK(parsed.options.interval_ns == 10'000'000);
    CHECK(output_format_of(parsed.options) == OutputFormat::kHtml);
    CHECK(parse_options("").ok());
    CHECK(parse_options("").options.action == Action::kNone);
}

TEST_CASE("intervals take units and bare nanoseconds", "[options]") {
    CHECK(parse_duration_ns("10ms") == 10'000'000u);
    CHECK(parse_duration_ns("500us") == 500'000u);
    CHECK(parse_duration_ns("2s") == 2'000'000'000u);
    CHECK(parse_duration_ns("1000000") == 1'000'000u);
    CHECK(parse_duration_ns("250ns") == 250u);
    CHECK_FALSE(parse_duration_ns("").has_value());
    CHECK_FALSE(parse_duration_ns("ms").has_value());
    CHECK_FALSE(parse_duration_ns("10 ms").has_value());
    CHECK_FALSE(parse_duration_ns("-5ms").has_value());
    CHECK_FALSE(parse_duration_ns("10m").has_value());
    CHECK_FALSE(parse_duration_ns("1.5ms").has_value());
    CHECK_FALSE(parse_duration_ns("99999999999999999999").has_value());
}

TEST_CASE("an explicit format word beats the file extension", "[options]") {
    ParsedOptions parsed = parse_options("start,file=out.collapsed,html");
    REQUIRE(parsed.ok());
    CHECK(output_format_of(parsed.options) == OutputFormat::kHtml);
    parsed = parse_options("start,collapsed,file=out.html");
    REQUIRE(parsed.ok());
    CHECK(output_format_of(parsed.options) == OutputFormat::kCollapsed);
    CHECK(output_format_of(parse_options("start,file=x.folded").options) == OutputFormat::kCollapsed);
    CHECK(output_format_of(parse_options("start,file=x.htm").options) == OutputFormat::kHtml);
}

TEST_CASE("bad strings give one message that names the offending word", "[options]") {
    struct Case {
        const char* text;
        const char* expected;
    };
    const Case cases[] = {
        {"start,bogus", "unknown option 'bogus'"},
        {"start,event=wallclock", "unknown event 'wallclock'"},
        {"start,interval=fast", "invalid interval 'fast'"},
        {"start,interval=", "needs a value"},
        {"start,interval=1us", "too small"},
        {"start,interval=2h", "invalid interval"},
        {"start,file=", "needs a value"},
        {"start,,event=cpu", "empty option"},
        {"start,", "empty option"},
        {"start,stop", "two actions"},
        {"start=now", "takes no value"},
        {"start,collapsed=yes", "takes no value"},
        {"start,loglevel=loud", "unknown log level 'loud'"},
        {"start,cstack=lbr", "unknown cstack 'lbr': expected fp, dwarf, no, vm or vmx"},
        {"start,vmcheck", "vmcheck compares the vm walker with AsyncGetCallTrace: it needs cstack=vm"},
        {"start,cstack", "needs a value"},
        {"start,json", "json applies to threaddump and memory"},
        {"threaddump,threads", "do not apply to threaddump"},
        {"memory,threads", "do not apply to memory"},
        {"memory,loop=10s", "needs file="},
        {"start,atexit", "apply to threaddump and memory"},
        {"start,loop=10s", "give a file= pattern with %t, or dir="},
        {"start,keep=3", "keep= only applies to loop="},
        {"start,file=a.html,dir=/tmp", "either file= or dir="},
        {"start,loop=500ms,dir=/tmp", "invalid loop '500ms'"},
        {"start,event=cpu,event=itimer", "two cpu events"},
        {"start,alloc=lots", "invalid alloc 'lots'"},
        {"start,alloc=0", "invalid alloc '0'"},
        {"start,alloc=4g", "invalid alloc '4g'"},
        {"start,lock=soon", "invalid lock 'soon'"},
        {"start,total=yes", "takes no value"},
    };
    for (const Case& c : cases) {
        INFO(c.text);
        ParsedOptions parsed = parse_options(c.text);
        REQUIRE_FALSE(parsed.ok());
        CHECK_THAT(parsed.error, Catch::Contains(c.expected));
        CHECK(parsed.error.find('\n') == std::string::npos);
    }
}

TEST_CASE("actions other than start parse", "[options]") {
    CHECK(parse_options("stop,file=x.html").options.action == Action::kStop);
    CHECK(parse_options("dump").options.action == Action::kDump);
    CHECK(parse_options("status").options.action == Action::kStatus);
    CHECK(parse_options("threaddump,json").options.json);
    CHECK(parse_options("memory,file=m.json").options.action == Action::kMemory);
    ParsedOptions loop = parse_options("start,loop=60s,keep=5,dir=/var/tmp,include=http-*,exclude=*idle*,threads");
    REQUIRE(loop.ok());
    CHECK(loop.options.loop_ns == 60'000'000'000u);
    CHECK(loop.options.keep == 5);
    CHECK(loop.options.include == std::vector<std::string>{"http-*"});
    CHECK(loop.options.exclude == std::vector<std::string>{"*idle*"});
    CHECK(loop.options.per_thread);
}

TEST_CASE("a key that takes one value is refused when given twice; include, exclude and event add up", "[options]") {
    for (const char* text : {"start,start", "start,file=a.html,file=b.html", "start,reply=/tmp/a,reply=/tmp/b",
                             "start,interval=1ms,interval=2ms", "start,threads,threads", "start,loop=1s,loop=2s"}) {
        ParsedOptions parsed = parse_options(text);
        CHECK_FALSE(parsed.ok());
        CHECK_THAT(parsed.error, Catch::Contains("given twice"));
    }
    ParsedOptions filters = parse_options("start,include=a*,include=b*,exclude=c*,exclude=d*,event=cpu,event=alloc");
    REQUIRE(filters.ok());
    CHECK(filters.options.include.size() == 2);
    CHECK(filters.options.exclude.size() == 2);
    CHECK(filters.options.alloc_interval != 0);
}

TEST_CASE("options that mean nothing where they are given are refused with one line", "[options]") {
    struct Case {
        const char* text;
        const char* says;
    };
    for (const Case& refused : {Case{"start,duration=30s", "timeout="}, Case{"start,tid=1", "tid= applies to 'sample'"},
                                Case{"stop,duration=1s", "duration="}, Case{"start,ann,file=x.html", "collapsed"},
                                Case{"start,ann,html", "collapsed"}, Case{"stop,ann,file=x.pb.gz", "collapsed"}}) {
        ParsedOptions parsed = parse_options(refused.text);
        CHECK_FALSE(parsed.ok());
        CHECK_THAT(parsed.error, Catch::Contains(refused.says));
        CHECK(parsed.error.find('\n') == std::string::npos);
    }
    CHECK(parse_options("sample,duration=30s,tid=42").ok());
    CHECK(parse_options("start,ann,file=x.collapsed").ok());
    // The format is decided where the output is named: a start without one may still end in collapsed.
    CHECK(parse_options("start,ann").ok());
}

TEST_CASE("every duration and size option is bounded, and huge values never wrap", "[options]") {
    for (const char* text :
         {"start,loop=18446744073s", "start,loop=31d", "start,loop=2592001s", "start,loop=999999999999999999",
          "start,interval=18446744073709551615", "start,interval=2h", "start,lock=18446744073s",
          "start,alloc=99999999999999g", "start,alloc=2g", "sample,duration=18446744073s,tid=1",
          "start,memlimit=99999999999999g", "start,memlimit=17g", "start,memlimit=1k",
          "start,loop=1s,keep=100001,dir=/tmp", "sample,tid=99999999999,duration=1s"}) {
        ParsedOptions parsed = parse_options(text);
        CHECK_FALSE(parsed.ok());
        INFO(text);
        CHECK(
            (parsed.error.find("invalid") != std::string::npos || parsed.error.find("too large") != std::string::npos));
    }
    CHECK(parse_options("start,loop=2592000s,dir=/tmp").options.loop_ns == 2'592'000'000'000'000u);
    CHECK(parse_options("start,memlimit=16g").options.memory_limit == uint64_t{16} << 30);
    CHECK(parse_options("start").options.memory_limit == uint64_t{128} << 20);
}

TEST_CASE("events: one execution event beside alloc and lock", "[options]") {
    ParsedOptions all = parse_options("start,event=cpu,alloc=512k,lock=1ms");
    REQUIRE(all.ok());
    CHECK(all.options.event == EventType::kCpu);
    CHECK(all.options.alloc_interval == 512 * 1024);
    CHECK(all.options.lock);
    CHECK(all.options.lock_threshold_ns == 1'000'000);
    CHECK(session_event_names(all.options) == std::vector<std::string>{"cpu", "alloc", "lock"});

    CHECK(parse_options("start,event=lock").options.lock_threshold_ns == 10'000);
    CHECK(parse_options("start,lock=0").options.lock_threshold_ns == 0);

    ParsedOptions alloc_only = parse_options("start,event=alloc");
    REQUIRE(alloc_only.ok());
    CHECK(alloc_only.options.event == EventType::kNone);
    CHECK(alloc_only.options.alloc_interval == 512 * 1024);
    CHECK(session_event_names(alloc_only.options) == std::vector<std::string>{"alloc"});

    ParsedOptions lock_only = parse_options("start,lock=10us");
    REQUIRE(lock_only.ok());
    CHECK(lock_only.options.event == EventType::kNone);
    CHECK(lock_only.options.lock_threshold_ns == 10'000);

    ParsedOptions repeated = parse_options("start,event=wall,event=lock,event=alloc,total");
    REQUIRE(repeated.ok());
    CHECK(repeated.options.event == EventType::kNone);
    CHECK(repeated.options.wall_interval_ns == 50'000'000);
    CHECK(repeated.options.total);
    CHECK(session_event_names(repeated.options) == std::vector<std::string>{"wall", "alloc", "lock"});
}

TEST_CASE("wall samples every 50 ms unless told otherwise", "[options]") {
    CHECK(parse_options("start,event=wall").options.wall_interval_ns == 50'000'000);
    CHECK(parse_options("start,event=wall").options.interval_ns == 50'000'000);
    CHECK(parse_options("start,event=wall,interval=5ms").options.wall_interval_ns == 5'000'000);
    CHECK(parse_options("start,interval=5ms,event=wall").options.wall_interval_ns == 5'000'000);
    CHECK(parse_options("start,event=cpu").options.interval_ns == 10'000'000);
    CHECK(parse_options("start,event=cpu").options.wall_interval_ns == 0);
}

TEST_CASE("cpu and wall together: interval= is cpu's, wall= is wall's, each on its own signal", "[options]") {
    ParsedOptions both = parse_options("start,event=cpu,event=wall,interval=1ms");
    REQUIRE(both.ok());
    CHECK(both.options.event == EventType::kCpu);
    CHECK(both.options.interval_ns == 1'000'000);
    CHECK(both.options.wall_interval_ns == 50'000'000);
    CHECK(both.options.cpu_signal == 27);
    CHECK(both.options.wall_signal == 26);
    CHECK(session_event_names(both.options) == std::vector<std::string>{"cpu", "wall"});

    ParsedOptions wall_word = parse_options("start,event=cpu,wall=5ms");
    REQUIRE(wall_word.ok());
    CHECK(wall_word.options.event == EventType::kCpu);
    CHECK(wall_word.options.wall_interval_ns == 5'000'000);

    ParsedOptions signals = parse_options("start,cpu,wall,signal=10/14");
    REQUIRE(signals.ok());
    CHECK(signals.options.cpu_signal == 10);
    CHECK(signals.options.wall_signal == 14);
    // One number: the cpu signal, or the wall one when wall runs alone.
    CHECK(parse_options("start,cpu,signal=10").options.cpu_signal == 10);
    CHECK(parse_options("start,wall,signal=14").options.wall_signal == 14);
    CHECK(parse_options("start,wall,signal=14").options.cpu_signal == 27);

    for (const char* text : {"start,cpu,wall,signal=27/27", "start,cpu,wall,signal=26", "start,signal=9",
                             "start,signal=11/26", "start,itimer,signal=10", "start,signal=27/", "start,wall=fast",
                             "start,signal=40", "start,signal=12", "stop,signal=10"}) {
        INFO(text);
        CHECK_FALSE(parse_options(text).ok());
    }
}

TEST_CASE("async-profiler's shorthand: start,cpu and all; timeout= stops a started session", "[options]") {
    ParsedOptions cpu = parse_options("start,cpu");
    REQUIRE(cpu.ok());
    CHECK(cpu.options.event == EventType::kCpu);
    CHECK(parse_options("start,itimer").options.event == EventType::kItimer);
    CHECK(parse_options("start,wall").options.wall_interval_ns == 50'000'000);

    ParsedOptions all = parse_options("start,all,file=/tmp/%e.html");
    REQUIRE(all.ok());
    CHECK(session_event_names(all.options) == std::vector<std::string>{"cpu", "wall", "alloc", "lock"});

    CHECK(parse_options("start,timeout=2s").options.timeout_ns == 2'000'000'000u);
    CHECK(parse_options("start,timeout=30").options.timeout_ns == 30'000'000'000u);  // seconds, as asprof's
    CHECK(parse_options("start,timeout=5m").options.timeout_ns == 300'000'000'000u);
    CHECK_THAT(parse_options("stop,timeout=2s").error, Catch::Contains("timeout= applies to start"));
    CHECK_FALSE(parse_options("start,timeout=0").ok());
    CHECK_FALSE(parse_options("start,timeout=99999999999h").ok());
    CHECK_FALSE(parse_options("start,cpu=1").ok());
}

TEST_CASE("sizes take k, m and g", "[options]") {
    CHECK(parse_size_bytes("512") == 512u);
    CHECK(parse_size_bytes("512k") == 524288u);
    CHECK(parse_size_bytes("2m") == 2u * 1024 * 1024);
    CHECK(parse_size_bytes("1g") == 1024u * 1024 * 1024);
    CHECK_FALSE(parse_size_bytes("k"));
    CHECK_FALSE(parse_size_bytes("12q"));
}

TEST_CASE("cstack picks how native frames are found", "[options]") {
    CHECK(parse_options("start").options.native_stacks == NativeStacks::kDwarf);
    CHECK(parse_options("start,cstack=fp").options.native_stacks == NativeStacks::kFramePointers);
    CHECK(parse_options("start,cstack=dwarf").options.native_stacks == NativeStacks::kDwarf);
    CHECK(parse_options("start,cstack=no").options.native_stacks == NativeStacks::kNone);
    CHECK(parse_options("start").options.java_stacks == JavaStacks::kDefault);
    CHECK(parse_options("start,cstack=dwarf").options.java_stacks == JavaStacks::kAgct);
    CHECK(parse_options("start,cstack=no").options.java_stacks == JavaStacks::kAgct);
    Options vm = parse_options("start,cstack=vm,vmcheck").options;
    CHECK(vm.java_stacks == JavaStacks::kVm);
    CHECK(vm.native_stacks == NativeStacks::kDwarf);
    CHECK(vm.vm_check);
    CHECK(parse_options("start,cstack=vmx").options.java_stacks == JavaStacks::kVm);
}

TEST_CASE("debuginfo turns separate debug files on or off, sig keeps signatures", "[options]") {
    Options defaults = parse_options("start").options;
    CHECK(defaults.debug_files);
    CHECK_FALSE(defaults.signatures);
    CHECK_FALSE(parse_options("start,debuginfo=off").options.debug_files);
    CHECK(parse_options("start,debuginfo=on").options.debug_files);
    CHECK_THAT(parse_options("start,debuginfo=off,debuginfo=on").error, Catch::Contains("given twice"));
    CHECK(parse_options("start,sig").options.signatures);
    CHECK_THAT(parse_options("start,debuginfo=no").error,
               Catch::Contains("invalid debuginfo 'no': expected on or off"));
    CHECK_THAT(parse_options("start,debuginfo").error, Catch::Contains("invalid debuginfo ''"));
    CHECK_THAT(parse_options("start,sig=yes").error, Catch::Contains("takes no value"));
}

TEST_CASE("lines is a flag, off by default", "[options]") {
    CHECK_FALSE(parse_options("start").options.lines);
    CHECK(parse_options("start,lines").options.lines);
    CHECK(parse_options("dump,lines,file=/tmp/x.collapsed").options.lines);
    CHECK_THAT(parse_options("start,lines=on").error, Catch::Contains("takes no value"));
}

TEST_CASE("kernel and ann are flags", "[options]") {
    Options options = parse_options("start,kernel,ann").options;
    CHECK(options.kernel_frames);
    CHECK(options.annotate);
    CHECK(!parse_options("start").options.kernel_frames);
    CHECK_THAT(parse_options("start,kernel=yes").error, Catch::Contains("takes no value"));
}

TEST_CASE("diagnose takes a window (30 s by default) and a file, and chooses its own events", "[options]") {
    ParsedOptions plain = parse_options("diagnose");
    REQUIRE(plain.ok());
    CHECK(plain.options.action == Action::kDiagnose);
    CHECK(plain.options.duration_ns == 30'000'000'000u);
    ParsedOptions given = parse_options("diagnose,duration=5s,file=/tmp/diag-%t.html");
    REQUIRE(given.ok());
    CHECK(given.options.duration_ns == 5'000'000'000u);
    CHECK(given.options.file == "/tmp/diag-%t.html");
    CHECK(parse_options("sample,include=x").options.duration_ns == 10'000'000'000u);
    CHECK_THAT(parse_options("diagnose,event=cpu").error, Catch::Contains("diagnose chooses its own events"));
    CHECK_THAT(parse_options("diagnose,threads").error, Catch::Contains("diagnose chooses its own events"));
    CHECK_THAT(parse_options("start,duration=5s").error, Catch::Contains("window of 'sample' and 'diagnose'"));
}
