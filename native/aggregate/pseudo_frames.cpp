#include "native/aggregate/pseudo_frames.h"

#include "native/capture/code_kinds.h"

namespace hotframe {

static_assert(sizeof(uintptr_t) == 8, "PseudoFrameIds keys a name's address with the code kind in the top byte");

std::string walk_failure_name(const char* pseudo_frame, uint8_t walk_code_kind) {
    std::string name = pseudo_frame;
    const char* kind = code_kind_name(walk_code_kind);
    if (*kind == '\0' || name.size() < 2 || name.back() != ']') return name;
    name.insert(name.size() - 1, std::string(": ") + kind);
    return name;
}

std::string walk_failure_name(const char* pseudo_frame, const SampleHeader& header) {
    return walk_failure_name(pseudo_frame, header.walk_code_kind);
}

const char* status_frame_name(int32_t status) {
    switch (status) {
        case kStatusNoJavaFrame:
            return "[no_Java_frame]";
        case kStatusNoClassLoad:
            return "[no_class_load]";
        case kStatusGcActive:
            return "[GC_active]";
        case kStatusUnknownNotJava:
            return "[unknown_not_Java]";
        case kStatusNotWalkableNotJava:
            return "[not_walkable_not_Java]";
        case kStatusUnknownJava:
            return "[unknown_Java]";
        case kStatusNotWalkableJava:
            return "[not_walkable_Java]";
        case kStatusUnknownState:
            return "[unknown_state]";
        case kStatusThreadExit:
            return "[thread_exit]";
        case kStatusDeopt:
            return "[deoptimization]";
        case kStatusSafepoint:
            return "[safepoint]";
        case kStatusNonJavaThread:
            return "[non_Java_thread]";
        case kStatusFault:
            return "[agct_fault]";
        case kStatusNoAgct:
            return "[no_AsyncGetCallTrace]";
        case kStatusVmWalkFault:
            return "[vm_walk_fault]";
        default:
            return "[unknown_status]";
    }
}

const char* run_state_frame_name(uint8_t state) {
    switch (state) {
        case kRunStateRunning:
            return "[running]";
        case kRunStateSleeping:
            return "[sleeping]";
        case kRunStateDisk:
            return "[uninterruptible]";
        default:
            return "[unknown_run_state]";
    }
}

uint32_t PseudoFrameIds::intern(uint64_t key, const char* pseudo_frame, uint8_t walk_code_kind) {
    uint32_t id = table_->intern_frame(walk_failure_name(pseudo_frame, walk_code_kind), FrameKind::kPseudo);
    // Cached even when it is the over-limit frame: the table stays over its limit until it is cleared, and then
    // the whole cache goes. Not counted against memlimit: a few dozen names at most, whatever the workload.
    ids_.insert(key, id);
    return id;
}

void PseudoFrameIds::start_again() {
    ids_.clear();
    generation_ = table_->generation();
}

}  // namespace hotframe
