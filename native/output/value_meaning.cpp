#include "native/output/value_meaning.h"

namespace hotframe {

std::string value_meaning(const Profile& profile, bool weighted) {
    const std::string& event = profile.event;
    if (!weighted) {
        if (event == "alloc") return "samples (sampled allocations)";
        if (event == "lock") return "samples (contended lock waits)";
        return "samples";
    }
    if (event == "alloc") return "estimated bytes allocated";
    if (event == "lock") return "nanoseconds waited for locks";
    if (event == "wall") return "nanoseconds of wall-clock time";
    if (event == "cpu" || event == "itimer") return "nanoseconds of CPU time";
    return profile.weight_unit.empty() ? "weights" : profile.weight_unit;
}

std::string weight_label(const Profile& profile) {
    const std::string& event = profile.event;
    if (event == "alloc") return "Bytes allocated (estimated)";
    if (event == "lock") return "Time waited";
    if (event == "wall") return "Wall time";
    if (event == "cpu" || event == "itimer") return "CPU time";
    return "Weight";
}

}  // namespace hotframe
