// Runs one action (start, stop, dump, status) against the profiler and returns text for whoever asked.
#pragma once

#include <string>

#include "agent/agent.h"
#include "agent/options.h"
#include "native/result.h"

namespace hotframe {

struct CommandResult {
    Status status;
    std::string text;  // what the caller sees on success (status report, "profiling started", ...)
};

CommandResult run_command(Agent& agent, const Options& options);

}  // namespace hotframe
