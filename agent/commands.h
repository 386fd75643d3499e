// Runs one action against the agent and returns text for whoever asked: start, stop, dump and status of the
// profiler; threaddump and memory reports (now, on a loop= schedule, or at exit); sample, a thread sampling
// window. An action given at start-up (-agentpath) and one sent through jcmd go through the same function.
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
