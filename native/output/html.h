// Renders a Profile as one self-contained interactive HTML flame graph (no network access): canvas drawing,
// click-to-zoom, reset, hover tooltip, search box / Ctrl+F with the matched share, colours by frame kind.
#pragma once

#include <string>
#include <string_view>

#include "native/aggregate/profile.h"

namespace hotframe {

struct HtmlOptions {
    std::string title = "hotframe flame graph";
    bool width_by_weight = false;  // widths by ProfileStack::weight (bytes, ns) instead of sample counts
    // A differential graph: each stack's samples are its share of AFTER and its weight its share of BEFORE, in
    // parts per billion (see profile_diff.h); frames are coloured by the change.
    bool diff = false;
    // A JavaScript expression that yields the page's data, written in place of the data itself: the page is then
    // only the viewer, and the data comes from elsewhere (the diagnosis page shows its graphs in a frame that takes
    // them from its parent).
    std::string data_from;
};

std::string render_html(const Profile& profile, const HtmlOptions& options);

// The data render_html embeds in its page (a JavaScript object literal that is also JSON, with '<' escaped), for a
// page made with HtmlOptions::data_from.
std::string render_html_data(const Profile& profile, const HtmlOptions& options);

// The same data with its number arrays (one element per node or per frame: a million numbers for a large profile)
// as binary columns, which a page views in place as typed arrays instead of parsing them: a 4-byte little-endian
// length, that many bytes of JSON (the other fields, and "columns": [[key, "u8"|"u16"|"u32"|"f64", count], ...]),
// spaces up to a multiple of 8 bytes, then each column's little-endian values in that order, each padded with
// zeros to a multiple of 8 bytes.
std::string render_html_columns(const Profile& profile, const HtmlOptions& options);

// Escapes text for an HTML text node or attribute value (& < > " ').
std::string escape_html(std::string_view text);

// Escapes text for the inside of a double-quoted JavaScript string that sits inside a <script> element:
// quotes, backslashes, control characters, U+2028/U+2029, and '<' so that "</script>" cannot close the element.
std::string escape_js_string(std::string_view text);

}  // namespace hotframe
