// A session's profiles as files: which format and file pattern an output uses (its own words first, then the
// session's), and the rendering of one profile in that format. The path rules themselves (%p %t %e, -EVENT,
// dir=, unique names, keep=) are in native/output/output_paths.h.
#pragma once

#include <string>

#include "agent/options.h"
#include "native/aggregate/profile.h"
#include "native/analysis/pprof.h"
#include "native/result.h"

namespace hotframe {

// The format of an output: a format word or file= of the command wins, else the session's.
OutputFormat format_for(const Options& output, const Options& session);

// The file pattern of an output: its own file= or dir=, else the session's, else hotframe-%p-%t.EXT in the
// working directory.
std::string profile_pattern(const Options& output, const Options& session, OutputFormat format);

// Whether the output named by `options` could be written: checked when the command is given, so that a session
// is not collected and then lost to a path that never worked.
Status check_profile_output(const Options& options);

// One profile in `format`; `path` tells JSON from text for the flat report, `metadata` feeds pprof.
std::string render_profile(const Profile& profile, OutputFormat format, const Options& session, const std::string& path,
                           const PprofMetadata& metadata);

}  // namespace hotframe
