// The report of a thread sampling window (the `sample` action): what each watched thread did, as text (the
// share of time in each java.lang.Thread.State and a histogram of its stacks, leaf first) and as a profile
// with one tower per thread for the flame graph. Pure functions of the histories the agent collected.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "native/aggregate/profile.h"

namespace hotframe {

// What one sampled thread did over the window.
struct ThreadHistory {
    std::string name;
    pid_t native_id = -1;
    uint64_t samples = 0;
    std::map<std::string, uint64_t> states;               // "RUNNABLE", "WAITING", ... -> samples
    std::map<std::vector<std::string>, uint64_t> stacks;  // root first, then "[STATE]" for waiting states
};

// Keyed by anything that tells threads apart (the agent uses name and kernel id); ordered by that key.
using ThreadHistories = std::map<std::string, ThreadHistory>;

// Stacks are cut after the innermost kReportedFrames frames; the flame graph has them all.
constexpr size_t kReportedFrames = 12;

std::string render_thread_sampling_text(const ThreadHistories& histories, double seconds);

// Each thread's root is "[name tid=N]"; each sample weighs `interval_ns`.
Profile thread_sampling_profile(const ThreadHistories& histories, uint64_t interval_ns);

}  // namespace hotframe
