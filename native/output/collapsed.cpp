#include "native/output/collapsed.h"

#include "native/output/value_meaning.h"

namespace hotframe {

namespace {

// The format has no escaping: ';' separates frames and the last space separates the count, and a newline ends
// the line. Names never legitimately hold these except ' ' (e.g. "[thread main 1]"), which tools accept, since
// they split on the last space. Replace the two that would corrupt the line.
void append_frame_name(std::string& out, const std::string& name) {
    for (char c : name) {
        if (c == ';') {
            out.push_back(':');
        } else if (c == '\n' || c == '\r') {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
}

const char* kind_suffix(FrameKind kind) {
    switch (kind) {
        case FrameKind::kInterpreted:
        case FrameKind::kJitCompiled:
            return "_[j]";
        case FrameKind::kInlined:
            return "_[i]";
        case FrameKind::kKernel:
            return "_[k]";
        default:
            return "";
    }
}

}  // namespace

std::string render_collapsed(const Profile& profile, const CollapsedOptions& options) {
    std::string out;
    if (options.header) {
        out.append("# hotframe ").append(profile.event).append(" profile, one stack per line: the values are ");
        out.append(value_meaning(profile, options.weighted)).append("\n");
        if (profile.samples_over_memlimit != 0) {
            out.append("# ").append(std::to_string(profile.samples_over_memlimit));
            out.append(" samples of stacks seen after the memory limit (memlimit=) was reached are counted under ");
            out.append("[stacks_over_memlimit]\n");
        }
    }
    for (const ProfileStack& stack : profile.stacks) {
        uint64_t value = options.weighted ? stack.weight : stack.samples;
        if (value == 0 || stack.frames.empty()) continue;
        for (size_t i = 0; i < stack.frames.size(); i++) {
            if (i > 0) out.push_back(';');
            const ProfileFrame& frame = profile.frames[stack.frames[i]];
            append_frame_name(out, frame.name);
            if (frame.line > 0) out.append(":").append(std::to_string(frame.line));
            if (options.annotate) out.append(kind_suffix(frame.kind));
        }
        out.push_back(' ');
        out.append(std::to_string(value));
        out.push_back('\n');
    }
    return out;
}

}  // namespace hotframe
