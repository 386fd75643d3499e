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

namespace {

std::string dictionary_key(std::string_view name, FrameKind kind, int32_t line) {
    std::string key;
    key.reserve(name.size() + 1 + sizeof(line));
    key.push_back(static_cast<char>(kind));
    key.append(reinterpret_cast<const char*>(&line), sizeof(line));
    key.append(name);
    return key;
}

}  // namespace

std::string frame_label(const ProfileFrame& frame) {
    if (frame.line <= 0) return frame.name;
    return frame.name + ":" + std::to_string(frame.line);
}

bool FrameDictionary::contains(std::string_view name, FrameKind kind, int32_t line) const {
    return index_.count(dictionary_key(name, kind, line)) != 0;
}

uint32_t FrameDictionary::intern(std::string_view name, FrameKind kind, int32_t line) {
    std::string key = dictionary_key(name, kind, line);
    auto found = index_.find(key);
    if (found != index_.end()) return found->second;
    uint32_t index = static_cast<uint32_t>(frames_.size());
    frames_.push_back(ProfileFrame{std::string(name), kind});
    frames_.back().line = line;
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

Profile without_lines(const Profile& profile) {
    ProfileBuilder builder(profile.event, profile.weight_unit);
    std::vector<uint32_t> merged_id(profile.frames.size());
    for (uint32_t id = 0; id < profile.frames.size(); id++) {
        const ProfileFrame& frame = profile.frames[id];
        merged_id[id] = builder.intern(frame.name, frame.kind);
        builder.set_file(merged_id[id], frame.file);
        for (size_t start = 0; start < frame.full_name.size();) {
            size_t end = frame.full_name.find('\n', start);
            if (end == std::string::npos) end = frame.full_name.size();
            builder.add_full_name(merged_id[id], std::string_view(frame.full_name).substr(start, end - start));
            start = end + 1;
        }
    }
    // Stacks keyed by their merged frames, in the order they first appear.
    std::unordered_map<std::string, size_t> stack_index;
    std::vector<ProfileStack> stacks;
    for (const ProfileStack& stack : profile.stacks) {
        std::vector<uint32_t> frames;
        frames.reserve(stack.frames.size());
        for (uint32_t id : stack.frames) frames.push_back(merged_id[id]);
        std::string key(reinterpret_cast<const char*>(frames.data()), frames.size() * sizeof(uint32_t));
        auto [found, inserted] = stack_index.emplace(std::move(key), stacks.size());
        if (inserted) {
            stacks.push_back(ProfileStack{std::move(frames), stack.samples, stack.weight});
        } else {
            stacks[found->second].samples += stack.samples;
            stacks[found->second].weight += stack.weight;
        }
    }
    for (ProfileStack& stack : stacks) builder.add_stack(std::move(stack.frames), stack.samples, stack.weight);
    Profile merged = builder.finish();
    merged.samples_over_memlimit = profile.samples_over_memlimit;
    return merged;
}

Profile ProfileBuilder::finish() {
    profile_.frames = dictionary_.frames();
    return std::move(profile_);
}

}  // namespace hotframe
