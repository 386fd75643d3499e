#include "native/output/thread_sampling_report.h"

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <utility>

namespace hotframe {

std::string render_thread_sampling_text(const ThreadHistories& histories, double seconds) {
    std::ostringstream out;
    char line[256];
    for (const auto& entry : histories) {
        const ThreadHistory& history = entry.second;
        out << "\"" << history.name << "\" nid=" << history.native_id << ": " << history.samples << " samples over "
            << seconds << " s\n  states:";
        for (const auto& state : history.states) {
            std::snprintf(line, sizeof(line), " %s %.1f%%", state.first.c_str(),
                          100.0 * static_cast<double>(state.second) / static_cast<double>(history.samples));
            out << line;
        }
        out << "\n";
        std::vector<std::pair<uint64_t, const std::vector<std::string>*>> ordered;
        for (const auto& stack : history.stacks) ordered.emplace_back(stack.second, &stack.first);
        std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        for (const auto& stack : ordered) {
            std::snprintf(line, sizeof(line), "  %6.1f%% %7llu  ",
                          100.0 * static_cast<double>(stack.first) / static_cast<double>(history.samples),
                          static_cast<unsigned long long>(stack.first));
            out << line;
            // Leaf first, as a stack trace reads, cut after the innermost frames; the flame graph has them all.
            const std::vector<std::string>& frames = *stack.second;
            size_t shown = 0;
            for (size_t i = frames.size(); i-- > 0 && shown < kReportedFrames; shown++) {
                out << (shown ? " <- " : "") << frames[i];
            }
            if (frames.size() > shown) out << " <- ... (" << frames.size() - shown << " more)";
            out << "\n";
        }
        out << "\n";
    }
    if (histories.empty()) out << "no thread matched\n";
    return out.str();
}

Profile thread_sampling_profile(const ThreadHistories& histories, uint64_t interval_ns) {
    ProfileBuilder builder("thread sampling", "ns");
    for (const auto& entry : histories) {
        const ThreadHistory& history = entry.second;
        uint32_t root =
            builder.intern("[" + history.name + " tid=" + std::to_string(history.native_id) + "]", FrameKind::kPseudo);
        for (const auto& stack : history.stacks) {
            std::vector<uint32_t> frames{root};
            for (const std::string& name : stack.first) {
                // JVMTI stack traces do not say how a frame runs; all Java frames get one colour here.
                frames.push_back(builder.intern(name, name[0] == '[' ? FrameKind::kPseudo : FrameKind::kJitCompiled));
            }
            builder.add_stack(std::move(frames), stack.second, stack.second * interval_ns);
        }
    }
    return builder.finish();
}

}  // namespace hotframe
