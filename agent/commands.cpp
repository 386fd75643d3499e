#include "agent/commands.h"

namespace hotframe {

CommandResult run_command(Agent& agent, const Options& options) {
    std::string path;
    switch (options.action) {
        case Action::kStart: {
            Status started = agent.profiler->start(options);
            return {started, started.is_ok() ? "profiling started\n" : ""};
        }
        case Action::kStop: {
            Status stopped = agent.profiler->stop(options, &path);
            return {stopped, stopped.is_ok() ? "profiling stopped\nwrote " + path + "\n" : ""};
        }
        case Action::kDump: {
            Status dumped = agent.profiler->dump(options, &path);
            return {dumped, dumped.is_ok() ? "wrote " + path + "\n" : ""};
        }
        case Action::kStatus:
            return {Status::ok(), agent.profiler->status()};
        case Action::kNone:
            break;
    }
    return {Status::error("no action given: expected start, stop, dump or status first"), ""};
}

}  // namespace hotframe
