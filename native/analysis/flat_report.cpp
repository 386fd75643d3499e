#include "native/analysis/flat_report.h"

#include <algorithm>
#include <cstdio>
#include <unordered_map>
#include <unordered_set>

#include "native/analysis/pprof.h"
#include "native/analysis/terminal_text.h"
#include "native/output/json_text.h"

namespace hotframe {

namespace {

bool is_thread_root(const std::string& name) {
    std::string thread;
    int64_t tid = 0;
    return parse_thread_root(name, &thread, &tid);
}

std::vector<FlatEntry> top_entries(const std::unordered_map<std::string, uint64_t>& values, uint64_t total,
                                   size_t top) {
    std::vector<FlatEntry> entries;
    entries.reserve(values.size());
    for (const auto& [name, value] : values) {
        if (value == 0) continue;
        entries.push_back(FlatEntry{name, value, total == 0 ? 0.0 : static_cast<double>(value) / total});
    }
    // Ties by name, so that the report is the same from run to run.
    std::sort(entries.begin(), entries.end(), [](const FlatEntry& a, const FlatEntry& b) {
        return a.value != b.value ? a.value > b.value : a.name < b.name;
    });
    if (entries.size() > top) entries.resize(top);
    return entries;
}

std::string percent(double share) {
    char text[16];
    std::snprintf(text, sizeof(text), "%6.2f%%", share * 100);
    return text;
}

}  // namespace

FlatReport make_flat_report(const LoadedProfile& loaded, size_t top, bool lines) {
    const Profile& profile = loaded.profile;
    FlatReport report;
    report.lines = lines;
    // The name each frame is ranked by: with its line, or the method's.
    std::vector<std::string> labels;
    labels.reserve(profile.frames.size());
    for (const ProfileFrame& frame : profile.frames) labels.push_back(lines ? frame_label(frame) : frame.name);
    report.event = profile.event.empty() ? "unknown" : profile.event;
    report.meaning = loaded.meaning();
    report.total = loaded.total();
    std::unordered_map<std::string, uint64_t> self, total, stacks;
    std::unordered_set<std::string> seen;
    for (const ProfileStack& stack : profile.stacks) {
        uint64_t value = loaded.value_of(stack);
        if (value == 0 || stack.frames.empty()) continue;
        self[labels[stack.frames.back()]] += value;
        // A recursive method is counted once per stack.
        seen.clear();
        std::string joined;
        for (uint32_t frame : stack.frames) {
            const std::string& name = labels[frame];
            if (!joined.empty()) joined.push_back(';');
            joined.append(name);
            // By name: a recursive method can appear as frames of several kinds (interpreted, compiled, inlined).
            if (is_thread_root(name) || !seen.insert(name).second) continue;
            total[name] += value;
        }
        stacks[joined] += value;
    }
    report.by_self = top_entries(self, report.total, top);
    report.by_total = top_entries(total, report.total, top);
    report.stacks = top_entries(stacks, report.total, top);
    if (!report.by_self.empty() && report.by_self[0].share > kDominantSelfShare) {
        const FlatEntry& hot = report.by_self[0];
        char share[16];
        std::snprintf(share, sizeof(share), "%.1f%%", hot.share * 100);
        report.headline = "hot frame: " + hot.name + " holds " + share + " of the " + report.meaning + " by itself";
    }
    return report;
}

std::string render_flat_text(const FlatReport& report) {
    std::string out;
    // Everything here may come from the file (names, the event, the headline that quotes a name): printable.
    if (!report.headline.empty()) out += printable(report.headline) + "\n\n";
    out += printable(report.event) + " profile: " + std::to_string(report.total) + " (" + printable(report.meaning) +
           ")\n";
    auto section = [&out](const char* title, const std::vector<FlatEntry>& entries) {
        out += std::string("\n") + title + "\n";
        out += "        share           value  name\n";
        for (const FlatEntry& entry : entries) {
            char value[32];
            std::snprintf(value, sizeof(value), "%15llu", static_cast<unsigned long long>(entry.value));
            out += "      " + percent(entry.share) + " " + value + "  " + printable(entry.name) + "\n";
        }
    };
    const char* what = report.lines ? "lines" : "methods";
    section((std::string("top ") + what + " by self (on top of the stack):").c_str(), report.by_self);
    section((std::string("top ") + what + " by total (anywhere on the stack):").c_str(), report.by_total);
    section("top stacks (root first):", report.stacks);
    return out;
}

std::string render_flat_json(const FlatReport& report) {
    auto list = [](const std::vector<FlatEntry>& entries, const char* key) {
        std::string out = "[";
        for (size_t i = 0; i < entries.size(); i++) {
            if (i > 0) out += ",";
            char share[32];
            std::snprintf(share, sizeof(share), "%.6f", entries[i].share);
            out += "{\"" + std::string(key) + "\":" + json_string(entries[i].name) +
                   ",\"value\":" + std::to_string(entries[i].value) + ",\"share\":" + share + "}";
        }
        return out + "]";
    };
    std::string out = "{\"event\":" + json_string(report.event) + ",\"meaning\":" + json_string(report.meaning) +
                      ",\"total\":" + std::to_string(report.total);
    out += ",\"headline\":" + json_string(report.headline);
    out += std::string(",\"ranks\":") + (report.lines ? "\"lines\"" : "\"methods\"");
    out += ",\"by_self\":" + list(report.by_self, "name");
    out += ",\"by_total\":" + list(report.by_total, "name");
    out += ",\"stacks\":" + list(report.stacks, "stack");
    return out + "}\n";
}

}  // namespace hotframe
