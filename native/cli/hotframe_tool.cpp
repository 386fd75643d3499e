// hotframe-tool: the offline half of hotframe, on saved profiles (hotframe's or any profiler's collapsed
// stacks, and pprof files). The launcher runs it for `hotframe report` and `hotframe diff`.
//
//   hotframe-tool report FILE [--top N] [--lines] [-o text|json] [-f OUT]
//   hotframe-tool diff BEFORE AFTER [-o html|collapsed] [-f OUT]
//
// Any error is one line on stderr and exit status 1; an output file is written whole or not at all. Saved
// profiles are mailed around: what the tool reads is bounded (native/analysis/input_limits.h) and what it
// prints is printable.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "native/analysis/flat_report.h"
#include "native/analysis/profile_diff.h"
#include "native/analysis/profile_file.h"
#include "native/analysis/terminal_text.h"
#include "native/output/collapsed.h"
#include "native/output/html.h"
#include "native/output/output_file.h"

namespace hotframe {

namespace {

// Messages quote file names and may quote what is in a file: printable, so that they stay one harmless line.
int fail(const std::string& message) {
    std::fprintf(stderr, "hotframe: error: %s\n", printable(message).c_str());
    return 1;
}

int usage() {
    std::fprintf(stderr,
                 "usage: hotframe-tool report FILE [--top N] [--lines] [-o text|json] [-f OUT]\n"
                 "       hotframe-tool diff BEFORE AFTER [-o html|collapsed] [-f OUT]\n");
    return 2;
}

struct Arguments {
    std::vector<std::string> files;
    std::string format;
    std::string output;
    size_t top = 20;
    bool lines = false;  // report: rank source lines instead of methods
    std::string error;
};

Arguments parse_arguments(int argc, char** argv, int first) {
    Arguments arguments;
    for (int i = first; i < argc; i++) {
        std::string word = argv[i];
        auto value = [&](const char* what) -> std::string {
            if (i + 1 >= argc) {
                arguments.error = word + " needs " + what;
                return "";
            }
            return argv[++i];
        };
        if (word == "-o") {
            arguments.format = value("a format");
        } else if (word == "-f") {
            arguments.output = value("a file");
        } else if (word == "--lines") {
            arguments.lines = true;
        } else if (word == "--top") {
            std::string count = value("a number");
            char* end = nullptr;
            long parsed = std::strtol(count.c_str(), &end, 10);
            if (arguments.error.empty() && (end == count.c_str() || *end != '\0' || parsed < 1 || parsed > 100000)) {
                arguments.error = "--top takes a number from 1 to 100000, not '" + count + "'";
            }
            arguments.top = static_cast<size_t>(parsed);
        } else if (!word.empty() && word[0] == '-' && word != "-") {
            arguments.error = "unknown option " + word;
        } else {
            arguments.files.push_back(word);
        }
        if (!arguments.error.empty()) break;
    }
    return arguments;
}

// Writes to the file, or to stdout without one.
int deliver(const std::string& output, const std::string& content) {
    if (output.empty()) {
        std::fwrite(content.data(), 1, content.size(), stdout);
        return 0;
    }
    Status written = write_file_atomically(output, content);
    if (!written.is_ok()) return fail(written.message());
    std::fprintf(stderr, "hotframe: wrote %s\n", printable(output).c_str());
    return 0;
}

int report(const Arguments& arguments) {
    if (arguments.files.size() != 1) return fail("report takes one profile file");
    if (!arguments.format.empty() && arguments.format != "text" && arguments.format != "json") {
        return fail("unknown report format '" + arguments.format + "': expected text or json");
    }
    LoadedProfile loaded;
    if (Status read = load_profile_file(arguments.files[0], &loaded); !read.is_ok()) return fail(read.message());
    FlatReport flat = make_flat_report(loaded, arguments.top, arguments.lines);
    return deliver(arguments.output, arguments.format == "json" ? render_flat_json(flat) : render_flat_text(flat));
}

int diff(const Arguments& arguments) {
    if (arguments.files.size() != 2) return fail("diff takes two profile files: BEFORE and AFTER");
    if (arguments.lines) return fail("--lines is for report; diff keeps the frames' lines as the files have them");
    std::string format = arguments.format;
    if (format.empty()) format = arguments.output.empty() ? "collapsed" : "html";
    if (format != "html" && format != "collapsed") {
        return fail("unknown diff format '" + format + "': expected html or collapsed");
    }
    LoadedProfile before, after;
    if (Status read = load_profile_file(arguments.files[0], &before); !read.is_ok()) return fail(read.message());
    if (Status read = load_profile_file(arguments.files[1], &after); !read.is_ok()) return fail(read.message());
    Profile merged;
    if (Status compared = diff_profiles(before, after, &merged); !compared.is_ok()) return fail(compared.message());
    if (format == "collapsed") return deliver(arguments.output, render_diff_collapsed(before, after));
    HtmlOptions html;
    html.title = "hotframe diff: " + arguments.files[0] + " -> " + arguments.files[1];
    html.diff = true;
    return deliver(arguments.output, render_html(merged, html));
}

int run(int argc, char** argv) {
    if (argc < 2) return usage();
    std::string command = argv[1];
    Arguments arguments = parse_arguments(argc, argv, 2);
    if (!arguments.error.empty()) return fail(arguments.error);
    if (command == "report") return report(arguments);
    if (command == "diff") return diff(arguments);
    return usage();
}

}  // namespace

}  // namespace hotframe

int main(int argc, char** argv) {
    // The last resort only: the readers' limits (input_limits.h) stop hostile files long before memory runs
    // out. Anything that still throws is one line and exit 1 like every other error, never an abort.
    try {
        return hotframe::run(argc, argv);
    } catch (const std::bad_alloc&) {
        return hotframe::fail("out of memory");
    } catch (const std::exception& error) {
        return hotframe::fail(error.what());
    }
}
