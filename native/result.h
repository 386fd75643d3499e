// The error value of everything outside the signal path: either success or a message meant for the user.
#pragma once

#include <string>
#include <utility>

namespace hotframe {

class [[nodiscard]] Status {
public:
    static Status ok() { return Status(); }
    static Status error(std::string message) { return Status(std::move(message)); }

    bool is_ok() const { return !failed_; }
    const std::string& message() const { return message_; }

private:
    Status() = default;
    explicit Status(std::string message) : failed_(true), message_(std::move(message)) {}

    bool failed_ = false;
    std::string message_;
};

}  // namespace hotframe
