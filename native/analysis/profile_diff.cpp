#include "native/analysis/profile_diff.h"

#include <algorithm>
#include <map>
#include <utility>

#include "native/analysis/terminal_text.h"

namespace hotframe {

namespace {

// A stack as its frame names, root first: the two profiles number their frames differently.
std::string stack_key(const Profile& profile, const ProfileStack& stack) {
    std::string key;
    for (uint32_t frame : stack.frames) {
        if (!key.empty()) key.push_back(';');
        key.append(frame_label(profile.frames[frame]));
    }
    return key;
}

struct Sides {
    uint64_t before = 0;
    uint64_t after = 0;
    const Profile* profile = nullptr;  // where the stack's frames (and kinds) come from
    const ProfileStack* stack = nullptr;
};

std::map<std::string, Sides> union_of(const LoadedProfile& before, const LoadedProfile& after) {
    std::map<std::string, Sides> stacks;
    for (const ProfileStack& stack : before.profile.stacks) {
        Sides& sides = stacks[stack_key(before.profile, stack)];
        sides.before += before.value_of(stack);
        sides.profile = &before.profile;
        sides.stack = &stack;
    }
    for (const ProfileStack& stack : after.profile.stacks) {
        Sides& sides = stacks[stack_key(after.profile, stack)];
        sides.after += after.value_of(stack);
        sides.profile = &after.profile;
        sides.stack = &stack;
    }
    return stacks;
}

bool known(const std::string& event) { return !event.empty() && event != "unknown"; }

}  // namespace

Status diff_profiles(const LoadedProfile& before, const LoadedProfile& after, Profile* merged) {
    const std::string& a = before.profile.event;
    const std::string& b = after.profile.event;
    if (known(a) && known(b) && a != b) {
        auto article = [](const std::string& word) {
            return std::string(word.find_first_of("aeiou") == 0 ? "an " : "a ");
        };
        return Status::error("cannot compare " + article(a) + a + " profile with " + article(b) + b + " profile");
    }
    // Shares of samples and shares of bytes or wait time can differ a lot; for CPU and wall time they are the
    // same thing measured two ways (samples times the interval).
    bool time_sampled = b == "cpu" || b == "itimer" || b == "wall" || (!known(b) && (a == "cpu" || a == "wall"));
    if (before.weighted != after.weighted && !time_sampled) {
        return Status::error("cannot compare a profile of " + before.meaning() + " with one of " + after.meaning() +
                             " (write both with or without 'total')");
    }
    uint64_t before_total = 0, after_total = 0;
    if (Status summed = before.checked_total(&before_total); !summed.is_ok()) return summed;
    if (Status summed = after.checked_total(&after_total); !summed.is_ok()) return summed;
    if (before_total == 0 || after_total == 0) return Status::error("cannot compare with an empty profile");
    ProfileBuilder builder(known(b) ? b : a, "share");
    for (const auto& [key, sides] : union_of(before, after)) {
        std::vector<uint32_t> frames;
        for (uint32_t frame : sides.stack->frames) {
            // By name only: the same method may run interpreted in one profile and compiled in the other, and
            // must be one frame. Colours say what changed, not how the frame ran.
            // Lines stay: X.m:12 and X.m:14 are different frames.
            const ProfileFrame& named = sides.profile->frames[frame];
            const std::string& name = named.name;
            frames.push_back(builder.intern(
                name, !name.empty() && name[0] == '[' ? FrameKind::kPseudo : FrameKind::kJitCompiled, named.line));
        }
        // Rounded in 128-bit integers: exact, and never a float out of uint64_t's range (undefined to
        // convert). A stack's value is at most its side's total, so the share is at most kDiffScale.
        auto share = [](uint64_t value, uint64_t total) {
            unsigned __int128 scaled = static_cast<unsigned __int128>(value) * kDiffScale + total / 2;
            return static_cast<uint64_t>(std::min<unsigned __int128>(scaled / total, kDiffScale));
        };
        builder.add_stack(std::move(frames), share(sides.after, after_total), share(sides.before, before_total));
    }
    *merged = builder.finish();
    return Status::ok();
}

std::string render_diff_collapsed(const LoadedProfile& before, const LoadedProfile& after) {
    std::string out = "# hotframe diff: stack, then BEFORE's value (" + printable(before.meaning()) + ", total " +
                      std::to_string(before.total()) + "), then AFTER's (" + printable(after.meaning()) + ", total " +
                      std::to_string(after.total()) + ")\n";
    // Names are printable: this goes to a terminal without -f, and a newline in a name would split its line.
    for (const auto& [key, sides] : union_of(before, after)) {
        out += printable(key) + " " + std::to_string(sides.before) + " " + std::to_string(sides.after) + "\n";
    }
    return out;
}

}  // namespace hotframe
