// One line of advice at the end of a cpu profile, measured, not guessed: when the process hardly used the CPUs
// it may use, a cpu profile shows only the little it did (the threads were waiting: look at wall-clock time);
// when the JIT compiler threads hold much of the samples, the profile shows warm-up, not the application.
// Pure functions; the agent measures the facts (agent/cpu_budget.h) and the profile.
#pragma once

#include <cstdint>
#include <string>

#include "native/aggregate/profile.h"

namespace hotframe {

// Below this share of the CPUs the process may use, a cpu profile is a profile of waiting. JMC's rules call a
// JVM "mostly idle" under a quarter of one CPU per core; a fifth of the allowed CPUs is the same order, and
// low enough that a busy service with some I/O is not told to look elsewhere.
constexpr double kWaitingCpuShare = 0.20;
// Above this share of the samples, JIT compilation is what the profile shows. In steady state the compiler
// threads use a few percent; a fifth means the JVM is still warming up (or deoptimising again and again).
constexpr double kJitSampleShare = 0.20;

struct RunFacts {
    double cpu_seconds = 0;     // the process's CPU time during the profile
    double wall_seconds = 0;    // how long the profile ran
    double cpus_available = 0;  // CPUs the process may use: affinity and cgroup quota
    uint64_t samples = 0;       // of the cpu profile
    uint64_t jit_samples = 0;   // of those, in the JIT compiler threads
};

// "" when there is nothing to say; else one line, e.g. "CPU was 9% of 2 CPUs during the profile: the threads
// were mostly waiting; try -e wall".
std::string run_advice(const RunFacts& facts);

// Samples of a cpu profile taken in HotSpot's compiler threads (their native frames go through CompileBroker).
uint64_t jit_compiler_samples(const Profile& profile);

}  // namespace hotframe
