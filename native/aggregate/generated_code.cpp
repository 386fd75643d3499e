#include "native/aggregate/generated_code.h"

namespace hotframe {

void GeneratedCode::add(uintptr_t start, uintptr_t end, Range range) {
    std::lock_guard<std::mutex> lock(mutex_);
    // Code the JVM freed may be reused for new code without an event for the old (stubs are never unloaded
    // by event): whatever overlaps the new range is gone.
    auto first = ranges_.lower_bound(start);
    if (first != ranges_.begin() && std::prev(first)->second.end > start) --first;
    auto last = ranges_.lower_bound(end);
    ranges_.erase(first, last);
    range.serial = next_serial_++;
    ranges_.emplace(start, std::move(range));
}

void GeneratedCode::add_stub(const void* address, jint length, const char* name) {
    if (address == nullptr || length <= 0) return;
    auto start = reinterpret_cast<uintptr_t>(address);
    add(start, start + static_cast<uintptr_t>(length),
        Range{start + static_cast<uintptr_t>(length), nullptr, name != nullptr ? name : "[jvm_stub]"});
}

void GeneratedCode::add_method(jmethodID method, const void* address, jint length) {
    if (address == nullptr || length <= 0 || method == nullptr) return;
    auto start = reinterpret_cast<uintptr_t>(address);
    add(start, start + static_cast<uintptr_t>(length), Range{start + static_cast<uintptr_t>(length), method, {}});
}

void GeneratedCode::remove_method(const void* address) {
    std::lock_guard<std::mutex> lock(mutex_);
    ranges_.erase(reinterpret_cast<uintptr_t>(address));
}

std::optional<GeneratedCode::Owner> GeneratedCode::find(uintptr_t pc, bool with_name) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto after = ranges_.upper_bound(pc);
    if (after == ranges_.begin()) return std::nullopt;
    const Range& range = std::prev(after)->second;
    if (pc >= range.end) return std::nullopt;
    return Owner{range.method, with_name ? range.name : std::string(), range.serial};
}

}  // namespace hotframe
