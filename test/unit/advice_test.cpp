#include "native/analysis/advice.h"

#include <catch2/catch.hpp>

using namespace hotframe;

TEST_CASE("advice: a process that hardly used its CPUs was waiting; say so with the measured share", "[advice]") {
    RunFacts waiting{0.9, 5.0, 2.0, 90, 0};  // 0.9 s of CPU in 5 s on 2 CPUs: 9%
    CHECK(run_advice(waiting) ==
          "CPU was 9% of 2 CPUs during the profile: the threads were mostly waiting; try -e wall");
    RunFacts quota{0.2, 10.0, 0.5, 20, 0};  // a cgroup quota of half a CPU
    CHECK_THAT(run_advice(quota), Catch::StartsWith("CPU was 4% of 0.5 CPUs"));
    RunFacts one{0.1, 1.0, 1.0, 10, 0};
    CHECK_THAT(run_advice(one), Catch::StartsWith("CPU was 10% of 1 CPU during"));
}

TEST_CASE("advice: JIT compiler threads over a fifth of the samples are warm-up", "[advice]") {
    RunFacts warming{9.0, 5.0, 2.0, 1000, 280};
    CHECK(run_advice(warming) ==
          "JIT compilation took 28% of the samples: warm-up, not your code; profile later or filter with -I");
}

TEST_CASE("advice: nothing to say for a busy process in steady state, and no division by zero", "[advice]") {
    CHECK(run_advice(RunFacts{9.0, 5.0, 2.0, 1000, 30}).empty());
    CHECK(run_advice(RunFacts{2.0, 5.0, 2.0, 1000, 200}).empty());  // exactly 20%: not below
    CHECK(run_advice(RunFacts{}).empty());
}

TEST_CASE("advice: compiler samples are the stacks through CompileBroker", "[advice]") {
    ProfileBuilder builder("cpu", "ns");
    uint32_t start = builder.intern("start_thread", FrameKind::kNative);
    uint32_t loop = builder.intern("CompileBroker::compiler_thread_loop", FrameKind::kCpp);
    uint32_t compile = builder.intern("C2Compiler::compile_method", FrameKind::kCpp);
    uint32_t java = builder.intern("Main.run", FrameKind::kJitCompiled);
    builder.add_stack({start, loop, compile}, 30, 0);
    builder.add_stack({start, loop}, 5, 0);
    builder.add_stack({java}, 65, 0);
    CHECK(jit_compiler_samples(builder.finish()) == 35);
}
