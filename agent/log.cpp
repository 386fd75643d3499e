#include "agent/log.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include "native/output/output_paths.h"

namespace hotframe {

namespace {

std::shared_ptr<spdlog::logger> make_stderr_logger() {
    auto logger = std::make_shared<spdlog::logger>("hotframe", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    logger->set_pattern("[hotframe] %l: %v");
    logger->set_level(spdlog::level::info);
    return logger;
}

std::shared_ptr<spdlog::logger>& current_logger() {
    static std::shared_ptr<spdlog::logger> logger = make_stderr_logger();
    return logger;
}

}  // namespace

Status configure_logging(const std::string& level, const std::string& file) {
    std::shared_ptr<spdlog::logger> logger;
    if (file.empty()) {
        logger = make_stderr_logger();
    } else {
        // spdlog would create missing directories; a mistyped path should be an error instead.
        if (Status usable = check_output_directory(file); !usable.is_ok()) {
            return Status::error("cannot open log file " + file + ": " + usable.message());
        }
        try {
            auto sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(file, false);
            logger = std::make_shared<spdlog::logger>("hotframe", sink);
            logger->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [hotframe] %l: %v");
        } catch (const spdlog::spdlog_ex& error) {
            return Status::error("cannot open log file " + file + ": " + error.what());
        }
    }
    logger->set_level(spdlog::level::from_str(level));
    logger->flush_on(spdlog::level::trace);
    current_logger() = logger;
    return Status::ok();
}

spdlog::logger& log() { return *current_logger(); }

}  // namespace hotframe
