#include "native/output/diagnosis_page.h"

#include <cstdio>

#include "native/output/diagnosis_page_data.h"
#include "native/output/html.h"

namespace hotframe {

// The page template (native/output/diagnosis_page.html), embedded by cmake/embed_text.cmake.
extern const char kDiagnosisPage[];

namespace {

constexpr std::string_view kTitlePlaceholder = "@TITLE@";
constexpr std::string_view kFlamesPlaceholder = "<!--@FLAMES@-->";
constexpr std::string_view kDataPlaceholder = "/*@DATA@*/";

std::string base64(std::string_view bytes) {
    static constexpr char kDigits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (size_t i = 0; i < bytes.size(); i += 3) {
        uint32_t group = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
        if (i + 1 < bytes.size()) group |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
        if (i + 2 < bytes.size()) group |= static_cast<unsigned char>(bytes[i + 2]);
        out.push_back(kDigits[(group >> 18) & 63]);
        out.push_back(kDigits[(group >> 12) & 63]);
        out.push_back(i + 1 < bytes.size() ? kDigits[(group >> 6) & 63] : '=');
        out.push_back(i + 2 < bytes.size() ? kDigits[group & 63] : '=');
    }
    return out;
}

std::string flame_data_elements(const Diagnosis& diagnosis, const Compressor& gzip) {
    std::string out;
    for (const Profile& profile : diagnosis.profiles) {
        if (profile.total_samples() == 0) continue;
        HtmlOptions options;
        // Lock graphs are as wide as the time waited; the others count samples.
        options.width_by_weight = profile.event == "lock";
        // The event names are the agent's own words (cpu, wall, alloc, lock): safe in an id.
        if (gzip) {
            out.append("<script type=\"application/octet-stream\" data-encoding=\"gzip-columns-base64\" id=\"flame-" +
                       profile.event + "\">");
            out.append(base64(gzip(render_html_columns(profile, options))));
        } else {
            out.append("<script type=\"application/json\" id=\"flame-" + profile.event + "\">");
            out.append(render_html_data(profile, options));
        }
        out.append("</script>\n");
    }
    return out;
}

}  // namespace

const char* verdict_tab_name(VerdictTab tab) {
    switch (tab) {
        case VerdictTab::kSummary:
            return "Summary";
        case VerdictTab::kCpu:
            return "CPU";
        case VerdictTab::kWall:
            return "Wall";
        case VerdictTab::kAlloc:
            return "Alloc";
        case VerdictTab::kLock:
            return "Lock";
        case VerdictTab::kMemory:
            return "Memory";
        case VerdictTab::kThreads:
            return "Threads";
        case VerdictTab::kDump:
            return "Thread dump";
    }
    return "Summary";
}

bool is_pause_collector(const std::string& name) {
    return name.find("Concurrent") == std::string::npos && name.find("Cycles") == std::string::npos;
}

const Profile* find_profile(const Diagnosis& diagnosis, const std::string& event) {
    for (const Profile& profile : diagnosis.profiles) {
        if (profile.event == event) return &profile;
    }
    return nullptr;
}

std::string render_diagnosis_page(const Diagnosis& diagnosis, const Compressor& gzip) {
    // Each placeholder occurs once in the template, in this order; the texts are inserted in one pass, so that
    // nothing inside them is ever taken for a placeholder.
    std::string_view page = kDiagnosisPage;
    const std::pair<std::string_view, std::string> substitutions[] = {
        {kTitlePlaceholder, escape_html("hotframe diagnosis of pid " + std::to_string(diagnosis.pid))},
        {kFlamesPlaceholder, flame_data_elements(diagnosis, gzip)},
        {kDataPlaceholder, diagnosis_page_data(diagnosis)},
    };
    std::string out;
    size_t copied = 0;
    for (const auto& [placeholder, text] : substitutions) {
        size_t at = page.find(placeholder, copied);
        if (at == std::string_view::npos) continue;
        out.append(page.substr(copied, at - copied));
        out.append(text);
        copied = at + placeholder.size();
    }
    out.append(page.substr(copied));
    return out;
}

std::string render_diagnosis_text(const Diagnosis& diagnosis, const std::string& page_path) {
    std::string out = "diagnosis of pid " + std::to_string(diagnosis.pid);
    char line[128];
    std::snprintf(line, sizeof(line), " over %.0f s (%.1f CPU-seconds on %.1f CPUs available):\n",
                  diagnosis.wall_seconds, diagnosis.cpu_seconds, diagnosis.cpus_available);
    out += line;
    for (size_t i = 0; i < diagnosis.verdicts.size(); i++) {
        const Verdict& verdict = diagnosis.verdicts[i];
        out += std::to_string(i + 1) + ". " + verdict.title + "\n   " + verdict.evidence + "\n";
    }
    if (!page_path.empty()) out += "page: " + page_path + "\n";
    return out;
}

}  // namespace hotframe
