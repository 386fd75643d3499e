#include "agent/log.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>

#include "native/output/output_file.h"
#include "native/output/output_paths.h"

namespace hotframe {

namespace {

// log=: spdlog's own file sink opens with fopen, which follows links and waits on FIFOs. This one writes to a
// descriptor that output_file.h opened safely (a regular file, no link followed, no FIFO), one write(2) per
// message, so nothing is buffered when the JVM dies.
class DescriptorSink : public spdlog::sinks::base_sink<std::mutex> {
public:
    explicit DescriptorSink(int fd) : fd_(fd) {}
    ~DescriptorSink() override { close(fd_); }
    DescriptorSink(const DescriptorSink&) = delete;
    DescriptorSink& operator=(const DescriptorSink&) = delete;

protected:
    void sink_it_(const spdlog::details::log_msg& message) override {
        spdlog::memory_buf_t formatted;
        formatter_->format(message, formatted);
        size_t written = 0;
        while (written < formatted.size()) {
            ssize_t n = write(fd_, formatted.data() + written, formatted.size() - written);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return;  // a full disk loses log lines, never the JVM
            written += static_cast<size_t>(n);
        }
    }
    void flush_() override {}

private:
    int fd_;
};

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
        // A missing directory is an error, not something to create.
        if (Status usable = check_output_directory(file); !usable.is_ok()) {
            return Status::error("cannot open log file " + file + ": " + usable.message());
        }
        int fd = -1;
        if (Status opened = open_for_append(file, &fd); !opened.is_ok()) {
            return Status::error("log file: " + opened.message());
        }
        logger = std::make_shared<spdlog::logger>("hotframe", std::make_shared<DescriptorSink>(fd));
        logger->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [hotframe] %l: %v");
    }
    logger->set_level(spdlog::level::from_str(level));
    logger->flush_on(spdlog::level::trace);
    current_logger() = logger;
    return Status::ok();
}

spdlog::logger& log() { return *current_logger(); }

}  // namespace hotframe
