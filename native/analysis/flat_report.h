// The hot-frame report: the top methods by self share (on top of the stack) and by total share (anywhere on
// it), then the top stacks, as aligned text for terminals or JSON for tools. When one frame holds more than
// 30% by itself, the first line says so.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "native/analysis/profile_file.h"

namespace hotframe {

struct FlatEntry {
    std::string name;
    uint64_t value = 0;
    double share = 0;  // of the profile's total, 0..1
};

struct FlatReport {
    std::string event;
    std::string meaning;  // what the values are
    uint64_t total = 0;
    std::vector<FlatEntry> by_self;
    std::vector<FlatEntry> by_total;
    std::vector<FlatEntry> stacks;  // name: the stack root first, frames joined by ';'
    std::string headline;           // "hot frame: X holds 38.2% of samples by itself", or empty
    bool lines = false;             // entries are source lines ("Class.method:123"), not methods
};

constexpr double kDominantSelfShare = 0.30;

// Per-thread root frames ("[name tid=N]") are not methods: they count in stacks but not in the method lists.
// `lines`: rank source lines ("Class.method:123", frames that carry one) instead of methods; otherwise the
// lines of one method add up to the method.
FlatReport make_flat_report(const LoadedProfile& loaded, size_t top, bool lines = false);

std::string render_flat_text(const FlatReport& report);
std::string render_flat_json(const FlatReport& report);

}  // namespace hotframe
