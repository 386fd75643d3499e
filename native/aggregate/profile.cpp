#include "native/aggregate/profile.h"

#include <utility>

namespace hotframe {

uint64_t Profile::total_samples() const {
    uint64_t total = 0;
    for (const auto& stack : stacks) total += stack.samples;
    return total;
}

uint64_t Profile::total_weight() const {
    uint64_t total = 0;
    for (const auto& stack : stacks) total += stack.weight;
    return total;
}

ProfileBuilder::ProfileBuilder(std::string event, std::string weight_unit) {
    profile_.event = std::move(event);
    profile_.weight_unit = std::move(weight_unit);
}

bool FrameDictionary::contains(std::string_view name, FrameKind kind) const {
    std::string key;
    key.reserve(name.size() + 1);
    key.push_back(static_cast<char>(kind));
    key.append(name);
    return index_.count(key) != 0;
}

uint32_t FrameDictionary::intern(std::string_view name, FrameKind kind) {
    std::string key;
    key.reserve(name.size() + 1);
    key.push_back(static_cast<char>(kind));
    key.append(name);
    auto found = index_.find(key);
    if (found != index_.end()) return found->second;
    uint32_t index = static_cast<uint32_t>(frames_.size());
    frames_.push_back(ProfileFrame{std::string(name), kind});
    index_.emplace(std::move(key), index);
    return index;
}

void FrameDictionary::add_full_name(uint32_t id, std::string_view full_name) {
    // Enough to see that a frame merges overloads, and which, without letting one frame grow the page.
    constexpr size_t kMaxFullNames = 4;
    ProfileFrame& frame = frames_[id];
    if (full_name == frame.name) return;
    size_t count = 0;
    std::string_view rest = frame.full_name;
    while (!rest.empty()) {
        size_t end = rest.find('\n');
        std::string_view line = rest.substr(0, end);
        if (line == full_name || line == "...") return;
        count++;
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    }
    if (!frame.full_name.empty()) frame.full_name.push_back('\n');
    frame.full_name.append(count == kMaxFullNames ? std::string_view("...") : full_name);
}

void ProfileBuilder::add_stack(std::vector<uint32_t> frames, uint64_t samples, uint64_t weight) {
    profile_.stacks.push_back(ProfileStack{std::move(frames), samples, weight});
}

Profile ProfileBuilder::finish() {
    profile_.frames = dictionary_.frames();
    return std::move(profile_);
}

}  // namespace hotframe
