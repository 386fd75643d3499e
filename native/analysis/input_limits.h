// How much the offline readers build from one saved profile, and the one counter that enforces it.
//
// Profiles are mailed around, so a reader must treat one as hostile: a few bytes of gzip or protobuf can ask
// for gigabytes (a gzip bomb, one pprof location of 20,000 functions referenced 20,000 times, a long name
// referenced thousands of times). Every reader counts what it builds against these limits and stops with a
// one-line Status that names the limit, before the memory is spent. They are far above what a real profile
// needs (hotframe cuts stacks at 1024 frames) and keep a hostile file to a few hundred MiB at most, so that a
// report of one still works under `ulimit -v 1048576`. README.md ("Limits on saved profiles") states them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "native/result.h"

namespace hotframe {

// A profile file as read, and the bytes a gzipped one may inflate to.
constexpr size_t kMaxProfileBytes = size_t{256} << 20;
// One frame's name: a Java method with its signature is a few hundred bytes, a C++ template name a few KiB.
constexpr size_t kMaxFrameNameBytes = size_t{64} << 10;
// Frames in one stack (pprof: each location and each function inlined at it).
constexpr size_t kMaxFramesPerStack = 65536;
// Frames of all stacks together: each costs an index in memory however short its name.
constexpr size_t kMaxTotalFrames = size_t{16} << 20;
// Stacks (collapsed lines, pprof samples) in one profile.
constexpr size_t kMaxStacks = size_t{4} << 20;
// Every stack's frame names joined by ';', summed over the profile: the text report and diff build. A
// collapsed file's own text is about this size, so it only binds for pprof, where names are shared.
constexpr size_t kMaxStackTextBytes = kMaxProfileBytes;
// pprof's tables (strings, sample types, functions, locations and the lines in them), counted together.
constexpr size_t kMaxPprofEntries = size_t{4} << 20;

// A byte limit as people read it: "256 MiB", "64 KiB", else "1000 bytes".
inline std::string bytes_text(size_t bytes) {
    if (bytes >= (size_t{1} << 20) && bytes % (size_t{1} << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
    if (bytes >= (size_t{1} << 10) && bytes % (size_t{1} << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
    return std::to_string(bytes) + " bytes";
}

// Counts the stacks and frames a reader builds. Call start_stack() before each stack's frames and add_frame()
// for each of them; the first limit broken gives the error, and the reader stops there.
class StackBudget {
public:
    Status start_stack() {
        frames_in_stack_ = 0;
        if (++stacks_ > kMaxStacks) {
            return Status::error("more than " + std::to_string(kMaxStacks) +
                                 " stacks (the limit on stacks per profile)");
        }
        return Status::ok();
    }

    Status add_frame(size_t name_bytes) {
        if (name_bytes > kMaxFrameNameBytes) {
            return Status::error("a frame name is longer than " + bytes_text(kMaxFrameNameBytes) +
                                 " (the limit on name length)");
        }
        if (++frames_in_stack_ > kMaxFramesPerStack) return too_many_frames();
        if (++total_frames_ > kMaxTotalFrames) {
            return Status::error("the stacks hold more than " + std::to_string(kMaxTotalFrames) +
                                 " frames in all (the limit on frames per profile)");
        }
        text_bytes_ += name_bytes + 1;  // with its ';'; cannot wrap: each step adds at most 64 KiB
        if (text_bytes_ > kMaxStackTextBytes) {
            return Status::error("the stacks' names add up to more than " + bytes_text(kMaxStackTextBytes) +
                                 " (the limit on stack text per profile)");
        }
        return Status::ok();
    }

    // Also for a reader that can tell before building a stack that it would be too deep.
    static Status too_many_frames() {
        return Status::error("a stack has more than " + std::to_string(kMaxFramesPerStack) +
                             " frames (the limit on frames per stack)");
    }

private:
    size_t stacks_ = 0;
    size_t frames_in_stack_ = 0;
    size_t total_frames_ = 0;
    size_t text_bytes_ = 0;
};

// a + b into *sum, false when it does not fit in 64 bits (the values of a stack and the totals of a profile).
inline bool add_without_overflow(uint64_t a, uint64_t b, uint64_t* sum) { return !__builtin_add_overflow(a, b, sum); }

}  // namespace hotframe
