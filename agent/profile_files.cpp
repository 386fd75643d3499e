#include "agent/profile_files.h"

#include <unistd.h>

#include <algorithm>

#include "native/analysis/flat_report.h"
#include "native/analysis/profile_file.h"
#include "native/output/collapsed.h"
#include "native/output/html.h"
#include "native/output/output_paths.h"

namespace hotframe {

namespace {

const char* extension_of(OutputFormat format) {
    switch (format) {
        case OutputFormat::kCollapsed:
            return "collapsed";
        case OutputFormat::kFlat:
            return "flat.txt";
        case OutputFormat::kPprof:
            return "pb.gz";
        case OutputFormat::kHtml:
            break;
    }
    return "html";
}

// Lock profiles are about time waited, whatever `total` says: a thousand waits of a microsecond matter less
// than one of a second.
bool weighted_output(const Profile& profile, const Options& session) {
    return session.total || profile.event == "lock";
}

}  // namespace

OutputFormat format_for(const Options& output, const Options& session) {
    if (output.format || !output.file.empty()) return output_format_of(output);
    return output_format_of(session);
}

std::string profile_pattern(const Options& output, const Options& session, OutputFormat format) {
    std::string default_name = default_profile_name(extension_of(format));
    if (!output.file.empty() || !output.directory.empty()) {
        return choose_pattern(output.file, output.directory, default_name);
    }
    return choose_pattern(session.file, session.directory, default_name);
}

Status check_profile_output(const Options& options) {
    if (options.file.empty() && options.directory.empty()) return Status::ok();
    return check_output_pattern(profile_pattern(options, options, format_for(options, options)));
}

std::string render_profile(const Profile& recorded, OutputFormat format, const Options& session,
                           const std::string& path, const PprofMetadata& metadata) {
    // A session records lines for its pprof output; a dump of it in another format shows them only with `lines`.
    bool strip_lines = format != OutputFormat::kPprof && !session.lines &&
                       std::any_of(recorded.frames.begin(), recorded.frames.end(),
                                   [](const ProfileFrame& frame) { return frame.line != 0; });
    Profile merged = strip_lines ? without_lines(recorded) : Profile{};
    const Profile& profile = strip_lines ? merged : recorded;
    bool weighted = weighted_output(profile, session);
    if (format == OutputFormat::kPprof) {
        PprofMetadata for_event = metadata;
        if (profile.event == "alloc") for_event.period = static_cast<int64_t>(session.alloc_interval);
        if (profile.event == "lock") for_event.period = 0;
        if (profile.event == "wall") for_event.period = static_cast<int64_t>(session.wall_interval_ns);
        return encode_pprof_gzipped(profile, for_event);
    }
    if (format == OutputFormat::kFlat) {
        LoadedProfile loaded{profile, weighted, "live"};
        FlatReport report = make_flat_report(loaded, 20, session.lines);
        return is_json_file(path) ? render_flat_json(report) : render_flat_text(report);
    }
    if (format == OutputFormat::kCollapsed) {
        CollapsedOptions collapsed;
        collapsed.weighted = weighted;
        collapsed.header = true;
        collapsed.annotate = session.annotate;
        return render_collapsed(profile, collapsed);
    }
    HtmlOptions html;
    html.title = std::string("hotframe ") + profile.event + " profile of pid " + std::to_string(getpid());
    html.width_by_weight = weighted;
    return render_html(profile, html);
}

}  // namespace hotframe
