#include "native/aggregate/thread_print.h"

#include <cstdlib>

namespace hotframe {

namespace {

// Where the name's closing quote is: the earliest of the fields HotSpot prints right after it.
size_t name_end(std::string_view line) {
    size_t end = std::string_view::npos;
    for (std::string_view field : {"\" #", "\" daemon ", "\" prio=", "\" os_prio="}) {
        size_t at = line.find(field, 1);
        if (at < end) end = at;
    }
    return end;
}

// The value of `nid=`: hexadecimal with 0x up to JDK 20, decimal since; -1 if it is not a number.
pid_t native_id(std::string_view line) {
    size_t at = line.rfind(" nid=");
    if (at == std::string_view::npos) return -1;
    std::string digits(line.substr(at + 5, 24));
    char* end = nullptr;
    long value = std::strtol(digits.c_str(), &end, 0);
    if (end == digits.c_str() || value <= 0 || value > 0x7fffffff) return -1;
    if (*end != '\0' && *end != ' ') return -1;
    return static_cast<pid_t>(value);
}

}  // namespace

std::vector<ListedThread> parse_thread_print(std::string_view text) {
    std::vector<ListedThread> threads;
    size_t start = 0;
    while (start < text.size()) {
        size_t newline = text.find('\n', start);
        if (newline == std::string_view::npos) newline = text.size();
        std::string_view line = text.substr(start, newline - start);
        start = newline + 1;
        if (line.empty() || line[0] != '"') continue;
        size_t end = name_end(line);
        pid_t tid = native_id(line);
        if (end == std::string_view::npos || tid < 0) continue;
        threads.push_back(ListedThread{tid, std::string(line.substr(1, end - 1))});
    }
    return threads;
}

}  // namespace hotframe
