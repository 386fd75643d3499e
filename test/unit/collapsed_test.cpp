#include "native/output/collapsed.h"

#include <catch2/catch.hpp>
#include <cctype>

using namespace hotframe;

TEST_CASE("collapsed output has one root-first line per stack with its count", "[collapsed]") {
    ProfileBuilder builder("cpu", "ns");
    uint32_t run = builder.intern("java.lang.Thread.run", FrameKind::kInterpreted);
    uint32_t compile = builder.intern("java.util.regex.Pattern.compile", FrameKind::kJitCompiled);
    uint32_t match = builder.intern("java.util.regex.Matcher.find", FrameKind::kInlined);
    builder.add_stack({run, compile}, 30, 300);
    builder.add_stack({run, match}, 70, 700);
    builder.add_stack({run}, 0, 0);  // empty stacks are not written
    Profile profile = builder.finish();

    std::string text = render_collapsed(profile, CollapsedOptions{});
    CHECK(text ==
          "java.lang.Thread.run;java.util.regex.Pattern.compile 30\n"
          "java.lang.Thread.run;java.util.regex.Matcher.find 70\n");
    CollapsedOptions weighted;
    weighted.weighted = true;
    CHECK_THAT(render_collapsed(profile, weighted), Catch::Contains("java.util.regex.Matcher.find 700\n"));
}

TEST_CASE("names that would break the line format are neutralised", "[collapsed]") {
    ProfileBuilder builder("cpu", "ns");
    uint32_t odd = builder.intern("a;b\nc", FrameKind::kPseudo);
    builder.add_stack({odd}, 1, 1);
    CHECK(render_collapsed(builder.finish(), CollapsedOptions{}) == "a:b c 1\n");
}

TEST_CASE("the header says what the values mean, and tools skip it", "[collapsed]") {
    ProfileBuilder builder("alloc", "bytes");
    builder.add_stack({builder.intern("A.make", FrameKind::kJitCompiled), builder.intern("byte[]", FrameKind::kPseudo)},
                      3, 1572864);
    Profile profile = builder.finish();
    CollapsedOptions options;
    options.header = true;
    options.weighted = true;
    std::string text = render_collapsed(profile, options);
    CHECK(text ==
          "# hotframe alloc profile, one stack per line: the values are estimated bytes allocated\n"
          "A.make;byte[] 1572864\n");
    options.weighted = false;
    std::string counts = render_collapsed(profile, options);
    std::string first_line = counts.substr(0, counts.find('\n'));
    CHECK_THAT(first_line, Catch::Contains("samples"));
    // flamegraph.pl and speedscope take a line only if it ends in " <number>".
    CHECK_FALSE(std::isdigit(static_cast<unsigned char>(first_line.back())));
}

TEST_CASE("ann marks frame kinds with the suffixes flame-graph tools colour by", "[collapsed]") {
    ProfileBuilder builder("cpu", "ns");
    std::vector<uint32_t> stack = {
        builder.intern("[main tid=1]", FrameKind::kPseudo),    builder.intern("A.interpreted", FrameKind::kInterpreted),
        builder.intern("A.compiled", FrameKind::kJitCompiled), builder.intern("A.inlined", FrameKind::kInlined),
        builder.intern("A.nativeMethod", FrameKind::kNative),  builder.intern("JVM_Sleep", FrameKind::kCpp),
        builder.intern("do_syscall_64", FrameKind::kKernel),
    };
    builder.add_stack(stack, 2, 2);
    Profile profile = builder.finish();
    CollapsedOptions annotated;
    annotated.annotate = true;
    CHECK(render_collapsed(profile, annotated) ==
          "[main tid=1];A.interpreted_[j];A.compiled_[j];A.inlined_[i];A.nativeMethod;JVM_Sleep;do_syscall_64_[k] 2\n");
    CHECK(render_collapsed(profile, CollapsedOptions{}) ==
          "[main tid=1];A.interpreted;A.compiled;A.inlined;A.nativeMethod;JVM_Sleep;do_syscall_64 2\n");
}

TEST_CASE("frames with lines are Class.method:line, before the ann suffix", "[collapsed]") {
    ProfileBuilder builder("cpu", "ns");
    std::vector<uint32_t> stack = {builder.intern("A.run", FrameKind::kInterpreted, 36),
                                   builder.intern("A.render", FrameKind::kInlined, 30),
                                   builder.intern("A.nativeMethod", FrameKind::kNative)};
    builder.add_stack(stack, 2, 2);
    Profile profile = builder.finish();
    CollapsedOptions annotated;
    annotated.annotate = true;
    CHECK(render_collapsed(profile, annotated) == "A.run:36_[j];A.render:30_[i];A.nativeMethod 2\n");
    CHECK(render_collapsed(profile, CollapsedOptions{}) == "A.run:36;A.render:30;A.nativeMethod 2\n");
}
