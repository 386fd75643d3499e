// The agent's one logger (spdlog): stderr with a "[hotframe]" prefix by default, or the file named by `log=`,
// at the level named by `loglevel=`. Never used from signal handlers.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <string>

#include "native/result.h"

namespace hotframe {

// (Re)configures the logger. An unopenable log file is an error and leaves the previous logger in place.
Status configure_logging(const std::string& level, const std::string& file);

spdlog::logger& log();

}  // namespace hotframe
