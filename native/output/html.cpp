#include "native/output/html.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "native/output/flame_tree.h"
#include "native/output/value_meaning.h"

namespace hotframe {

// The page template (native/output/flamegraph_page.html), embedded by cmake/embed_text.cmake.
extern const char kFlamegraphPage[];

namespace {

// Each placeholder occurs once in the template. Frame names and the title are inserted by the writer, so they
// may well contain a placeholder's text; stitching the template's pieces in one pass never looks inside them.
constexpr std::string_view kTitlePlaceholder = "@TITLE@";
constexpr std::string_view kTotalSamplesPlaceholder = "@TOTAL_SAMPLES@";
constexpr std::string_view kDataPlaceholder = "/*@DATA@*/";

constexpr FrameKind kAllKinds[] = {FrameKind::kInterpreted, FrameKind::kJitCompiled, FrameKind::kInlined,
                                   FrameKind::kNative,      FrameKind::kCpp,         FrameKind::kKernel,
                                   FrameKind::kPseudo};

struct Substitution {
    std::string_view placeholder;
    std::string text;
};

std::string fill_template(std::string_view page, std::vector<Substitution> substitutions) {
    std::vector<std::pair<size_t, const Substitution*>> found;
    size_t extra = 0;
    for (const Substitution& substitution : substitutions) {
        size_t at = page.find(substitution.placeholder);
        if (at == std::string_view::npos) continue;
        found.emplace_back(at, &substitution);
        extra += substitution.text.size();
    }
    std::sort(found.begin(), found.end());
    std::string out;
    out.reserve(page.size() + extra);
    size_t copied = 0;
    for (const auto& [at, substitution] : found) {
        out.append(page.substr(copied, at - copied));
        out.append(substitution->text);
        copied = at + substitution->placeholder.size();
    }
    out.append(page.substr(copied));
    return out;
}

void append_number(std::string& out, uint64_t value) {
    char digits[24];
    auto result = std::to_chars(digits, digits + sizeof(digits), value);
    out.append(digits, result.ptr);
}

void append_js_string(std::string& out, std::string_view text) {
    out.push_back('"');
    out.append(escape_js_string(text));
    out.push_back('"');
}

// Where the data's number arrays go: into the JSON as arrays, or (with `columns`) as binary columns after it,
// each described in the JSON's "columns" list (see render_html_columns).
class NumberArrays {
public:
    explicit NumberArrays(std::string* columns) : columns_(columns) {}

    template <typename Number>
    void append(std::string& out, std::string_view key, const std::vector<Number>& values) {
        if (columns_ == nullptr) {
            out.append(",\"");
            out.append(key);
            out.append("\":[");
            for (size_t i = 0; i < values.size(); i++) {
                if (i > 0) out.push_back(',');
                append_number(out, static_cast<uint64_t>(values[i]));
            }
            out.push_back(']');
            return;
        }
        uint64_t largest = 0;
        for (Number value : values) largest = std::max(largest, static_cast<uint64_t>(value));
        // The narrowest type that holds every value; past 32 bits a double, which is what JSON gives a page too.
        const char* type = largest <= UINT8_MAX    ? "u8"
                           : largest <= UINT16_MAX ? "u16"
                           : largest <= UINT32_MAX ? "u32"
                                                   : "f64";
        size_t width = largest <= UINT8_MAX ? 1 : largest <= UINT16_MAX ? 2 : largest <= UINT32_MAX ? 4 : 8;
        described_.append(described_.empty() ? "[\"" : ",[\"");
        described_.append(key);
        described_.append("\",\"");
        described_.append(type);
        described_.append("\",");
        append_number(described_, values.size());
        described_.push_back(']');
        for (Number value : values) {
            uint64_t bits = static_cast<uint64_t>(value);
            if (width == 8) {
                double as_double = static_cast<double>(bits);
                std::memcpy(&bits, &as_double, sizeof(bits));
            }
            // Little-endian, as typed arrays are on every machine a browser runs on.
            for (size_t byte = 0; byte < width; byte++) columns_->push_back(static_cast<char>(bits >> (8 * byte)));
        }
        // Each column starts 8-aligned, so that the page can view it in place.
        columns_->append((8 - columns_->size() % 8) % 8, '\0');
    }

    // The "columns" key, after the last array.
    void finish(std::string& out) const {
        if (columns_ == nullptr) return;
        out.append(",\"columns\":[");
        out.append(described_);
        out.push_back(']');
    }

private:
    std::string* columns_;
    std::string described_;
};

// The page's data: a JavaScript object literal (also valid JSON) holding the flat call tree. Every string in it goes
// through escape_js_string, which is what keeps hostile frame names from ending the <script> element. Nodes carry
// self values, not totals: most nodes are callers with a self count of 0, which is the shortest number to write,
// and the page adds the totals up again in one pass.
std::string render_data(const Profile& profile, const FlameTree& tree, const HtmlOptions& options,
                        std::string* columns = nullptr) {
    NumberArrays arrays(columns);
    bool width_by_weight = options.width_by_weight;
    std::string out;
    out.reserve(tree.node_count() * 16 + tree.names.size() * 48 + 256);
    out.append("{\"event\":");
    append_js_string(out, profile.event);
    out.append(",\"unit\":");
    append_js_string(out, profile.weight_unit);
    bool by_weight = width_by_weight && !profile.weight_unit.empty();
    out.append(",\"widthBy\":");
    append_js_string(out, by_weight ? "weight" : "samples");
    out.append(",\"meaning\":");
    append_js_string(out, value_meaning(profile, by_weight));
    out.append(",\"weightLabel\":");
    append_js_string(out, weight_label(profile));
    if (options.diff) out.append(",\"diff\":true");
    out.append(",\"totalSamples\":");
    append_number(out, tree.samples[0]);
    out.append(",\"totalWeight\":");
    append_number(out, tree.weight[0]);
    out.append(",\"maxDepth\":");
    append_number(out, tree.max_depth);
    out.append(",\"kinds\":[");
    for (FrameKind kind : kAllKinds) {
        if (kind != kAllKinds[0]) out.push_back(',');
        append_js_string(out, frame_kind_name(kind));
    }
    out.append("],\"names\":[");
    for (size_t i = 0; i < tree.names.size(); i++) {
        if (i > 0) out.push_back(',');
        append_js_string(out, tree.names[i]);
    }
    out.push_back(']');
    // Full names only where a name was shortened, by name index: most frames have none, and the page stays small.
    bool any_full_name = false;
    for (size_t i = 0; i < tree.full_names.size(); i++) {
        if (tree.full_names[i].empty()) continue;
        out.append(any_full_name ? ",\"" : ",\"fullNames\":{\"");
        any_full_name = true;
        append_number(out, i);
        out.append("\":");
        append_js_string(out, tree.full_names[i]);
    }
    if (any_full_name) out.push_back('}');
    arrays.append(out, "frameName", tree.frame_name);
    arrays.append(out, "frameKind", tree.frame_kind);
    arrays.append(out, "frame", tree.node_frame);
    arrays.append(out, "depth", tree.depth);
    arrays.append(out, "selfSamples", tree.self_samples);
    // Without a unit the weights mean nothing to a reader, so they are left out rather than shown bare.
    arrays.append(out, "selfWeight", profile.weight_unit.empty() ? std::vector<uint64_t>{} : tree.self_weight);
    arrays.finish(out);
    out.push_back('}');
    return out;
}

void append_unicode_escape(std::string& out, unsigned code) {
    static constexpr char kHex[] = "0123456789abcdef";
    out.append("\\u");
    for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kHex[(code >> shift) & 0xf]);
}

}  // namespace

std::string escape_html(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out.append("&amp;");
                break;
            case '<':
                out.append("&lt;");
                break;
            case '>':
                out.append("&gt;");
                break;
            case '"':
                out.append("&quot;");
                break;
            case '\'':
                out.append("&#39;");
                break;
            default:
                out.push_back(c);
        }
    }
    return out;
}

std::string escape_js_string(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 8);
    auto byte_at = [text](size_t at) { return at < text.size() ? static_cast<unsigned char>(text[at]) : 0; };
    for (size_t i = 0; i < text.size(); i++) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(static_cast<char>(c));
        } else if (c == '\n') {
            out.append("\\n");
        } else if (c == '\r') {
            out.append("\\r");
        } else if (c == '\t') {
            out.append("\\t");
        } else if (c < 0x20 || c == 0x7f || c == '<') {
            // '<' so that neither "</script>" nor "<!--" can change how the HTML parser reads the script.
            append_unicode_escape(out, c);
        } else if (c == 0xe2 && byte_at(i + 1) == 0x80 && (byte_at(i + 2) == 0xa8 || byte_at(i + 2) == 0xa9)) {
            // U+2028 and U+2029 (line and paragraph separators) ended string literals before ES2019.
            append_unicode_escape(out, byte_at(i + 2) == 0xa8 ? 0x2028 : 0x2029);
            i += 2;
        } else {
            // Other bytes, UTF-8 included, pass through: the page is served as UTF-8 and a browser decodes an
            // invalid sequence to U+FFFD without swallowing the quote or backslash that follows it.
            out.push_back(static_cast<char>(c));
        }
    }
    return out;
}

std::string render_html(const Profile& profile, const HtmlOptions& options) {
    FlameTree tree = build_flame_tree(profile, "all");
    std::vector<Substitution> substitutions;
    substitutions.push_back(Substitution{kTitlePlaceholder, escape_html(options.title)});
    substitutions.push_back(Substitution{kTotalSamplesPlaceholder, std::to_string(tree.samples[0])});
    substitutions.push_back(Substitution{
        kDataPlaceholder, options.data_from.empty() ? render_data(profile, tree, options) : options.data_from});
    return fill_template(kFlamegraphPage, std::move(substitutions));
}

std::string render_html_data(const Profile& profile, const HtmlOptions& options) {
    return render_data(profile, build_flame_tree(profile, "all"), options);
}

std::string render_html_columns(const Profile& profile, const HtmlOptions& options) {
    std::string columns;
    std::string header = render_data(profile, build_flame_tree(profile, "all"), options, &columns);
    std::string out;
    out.reserve(8 + header.size() + columns.size());
    uint32_t length = static_cast<uint32_t>(header.size());
    for (int byte = 0; byte < 4; byte++) out.push_back(static_cast<char>(length >> (8 * byte)));
    out.append(header);
    out.append((8 - out.size() % 8) % 8, ' ');
    out.append(columns);
    return out;
}

}  // namespace hotframe
