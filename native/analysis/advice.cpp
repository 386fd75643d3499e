#include "native/analysis/advice.h"

#include <cmath>
#include <cstdio>

namespace hotframe {

namespace {

std::string cpus_text(double cpus) {
    char text[32];
    if (std::fabs(cpus - std::round(cpus)) < 0.05) {
        std::snprintf(text, sizeof(text), "%.0f CPU%s", cpus, std::round(cpus) == 1 ? "" : "s");
    } else {
        std::snprintf(text, sizeof(text), "%.1f CPUs", cpus);
    }
    return text;
}

}  // namespace

std::string run_advice(const RunFacts& facts) {
    char line[256];
    if (facts.wall_seconds > 0 && facts.cpus_available > 0) {
        double share = facts.cpu_seconds / (facts.wall_seconds * facts.cpus_available);
        if (share < kWaitingCpuShare) {
            std::snprintf(line, sizeof(line),
                          "CPU was %.0f%% of %s during the profile: the threads were mostly waiting; try -e wall",
                          100 * share, cpus_text(facts.cpus_available).c_str());
            return line;
        }
    }
    if (facts.samples != 0) {
        double jit = static_cast<double>(facts.jit_samples) / static_cast<double>(facts.samples);
        if (jit > kJitSampleShare) {
            std::snprintf(line, sizeof(line),
                          "JIT compilation took %.0f%% of the samples: warm-up, not your code; profile later or "
                          "filter with -I",
                          100 * jit);
            return line;
        }
    }
    return "";
}

uint64_t jit_compiler_samples(const Profile& profile) {
    uint64_t samples = 0;
    for (const ProfileStack& stack : profile.stacks) {
        for (uint32_t frame : stack.frames) {
            if (profile.frames[frame].name.rfind("CompileBroker::", 0) == 0) {
                samples += stack.samples;
                break;
            }
        }
    }
    return samples;
}

}  // namespace hotframe
