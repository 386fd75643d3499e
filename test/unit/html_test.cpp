#include "native/output/html.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace hotframe {
extern const char kFlamegraphPage[];  // the embedded template, to compare the page's own markup against
}

using hotframe::escape_html;
using hotframe::escape_js_string;
using hotframe::FrameKind;
using hotframe::HtmlOptions;
using hotframe::Profile;
using hotframe::ProfileBuilder;
using hotframe::render_html;

namespace {

const std::string kScriptBreakout = "</script><script>alert(1)</script>";
const std::string kQuotesAndSlashes = "Foo\"bar'baz\\qux";
const std::string kNewline = "line\nbreak\r\ttab";
const std::string kLineSeparator = "before\u2028after\u2029end";
const std::string kUnicode = "\u00dcn\u00efc\u00f8d\u00e9.\u540d\u524d";  // Ünïcødé.名前
const std::string kImageTag = "<img src=x onerror=alert(2)>";
const std::string kCommentOpener = "<!--<script>";

size_t count_case_insensitive(std::string_view haystack, std::string_view needle) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    size_t count = 0;
    for (size_t i = 0; i + needle.size() <= haystack.size(); i++) {
        size_t j = 0;
        while (j < needle.size() && lower(haystack[i + j]) == lower(needle[j])) j++;
        if (j == needle.size()) count++;
    }
    return count;
}

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

Profile hostile_profile() {
    ProfileBuilder builder("cpu", "ns");
    uint32_t thread = builder.intern("[thread main]", FrameKind::kPseudo);
    uint32_t main_frame = builder.intern("com.example.Main.main", FrameKind::kInterpreted);
    uint32_t compile = builder.intern("java.util.regex.Pattern.compile", FrameKind::kJitCompiled);
    std::vector<uint32_t> hostile;
    for (const std::string& name :
         {kScriptBreakout, kQuotesAndSlashes, kNewline, kLineSeparator, kUnicode, kImageTag, kCommentOpener}) {
        hostile.push_back(builder.intern(name, FrameKind::kNative));
    }
    builder.add_stack({thread, main_frame, compile}, 600, 6000);
    for (uint32_t frame : hostile) builder.add_stack({thread, main_frame, frame}, 50, 500);
    builder.add_stack({thread, builder.intern("[GC_active]", FrameKind::kPseudo)}, 50, 500);
    return builder.finish();  // 600 + 7 * 50 + 50 = 1000 samples
}

}  // namespace

TEST_CASE("escape_html escapes markup and quotes and keeps UTF-8", "[html]") {
    CHECK(escape_html("</script>") == "&lt;/script&gt;");
    CHECK(escape_html("a & b \"c\" 'd'") == "a &amp; b &quot;c&quot; &#39;d&#39;");
    CHECK(escape_html(kUnicode) == kUnicode);
    CHECK(escape_html("") == "");
}

TEST_CASE("escape_js_string makes hostile names safe inside a script string", "[html]") {
    CHECK(escape_js_string(kScriptBreakout) == "\\u003c/script>\\u003cscript>alert(1)\\u003c/script>");
    CHECK(escape_js_string(kQuotesAndSlashes) == "Foo\\\"bar'baz\\\\qux");
    CHECK(escape_js_string(kNewline) == "line\\nbreak\\r\\ttab");
    CHECK(escape_js_string(kLineSeparator) == "before\\u2028after\\u2029end");
    CHECK(escape_js_string(std::string("nul\0bell\a\x7f", 10)) == "nul\\u0000bell\\u0007\\u007f");
    CHECK(escape_js_string(kCommentOpener) == "\\u003c!--\\u003cscript>");
    CHECK(escape_js_string(kUnicode) == kUnicode);  // non-ASCII stays UTF-8, only the separators are escaped
    // A truncated sequence at the very end must not be read past.
    CHECK(escape_js_string(std::string("x\xe2\x80")) == std::string("x\xe2\x80"));
}

TEST_CASE("the template holds each placeholder once and nothing that breaks the embedding", "[html]") {
    std::string_view page = hotframe::kFlamegraphPage;
    CHECK(count_case_insensitive(page, "@TITLE@") == 1);
    CHECK(count_case_insensitive(page, "@TOTAL_SAMPLES@") == 1);
    CHECK(count_case_insensitive(page, "/*@DATA@*/") == 1);
    CHECK_FALSE(contains(page, ")hf_embed\""));
    CHECK_FALSE(contains(page, "http://"));  // self-contained: nothing to fetch
    CHECK_FALSE(contains(page, "https://"));
}

TEST_CASE("a page with hostile frame names cannot be broken out of", "[html]") {
    Profile profile = hostile_profile();
    HtmlOptions options;
    options.title = "cpu </title><script>alert(3)</script> & \"co\"";
    std::string html = render_html(profile, options);
    std::string_view page = hotframe::kFlamegraphPage;

    SECTION("no element or comment starts inside the data") {
        CHECK(count_case_insensitive(html, "</script") == count_case_insensitive(page, "</script"));
        CHECK(count_case_insensitive(html, "<script") == count_case_insensitive(page, "<script"));
        CHECK(count_case_insensitive(html, "<!--") == count_case_insensitive(page, "<!--"));
        CHECK(count_case_insensitive(html, "</title") == 1);
        CHECK_FALSE(contains(html, "<img"));
    }
    SECTION("the escaped forms are there") {
        CHECK(contains(html, "\"\\u003c/script>\\u003cscript>alert(1)\\u003c/script>\""));
        CHECK(contains(html, "\"Foo\\\"bar'baz\\\\qux\""));
        CHECK(contains(html, "\"before\\u2028after\\u2029end\""));
        CHECK(contains(html,
                       "<title>cpu &lt;/title&gt;&lt;script&gt;alert(3)&lt;/script&gt; &amp; &quot;co&quot;</title>"));
    }
    SECTION("every frame name is in the page") {
        for (const auto& frame : profile.frames) {
            INFO(frame.name);
            CHECK(contains(html, "\"" + escape_js_string(frame.name) + "\""));
        }
        CHECK(contains(html, kUnicode));  // as UTF-8, not mangled
    }
    SECTION("the totals and the event are there") {
        CHECK(contains(html, "\"totalSamples\":1000,"));
        CHECK(contains(html, "data-total-samples=\"1000\""));
        CHECK(contains(html, "\"totalWeight\":10000,"));
        CHECK(contains(html, "\"event\":\"cpu\",\"unit\":\"ns\""));
        CHECK_FALSE(contains(html, "@TITLE@"));
        CHECK_FALSE(contains(html, "@TOTAL_SAMPLES@"));
        CHECK_FALSE(contains(html, "/*@DATA@*/"));
    }
}

TEST_CASE("placeholder text inside names or the title is left alone", "[html]") {
    ProfileBuilder builder("cpu", "");
    builder.add_stack({builder.intern("@TITLE@ /*@DATA@*/ @TOTAL_SAMPLES@", FrameKind::kCpp)}, 7, 0);
    HtmlOptions options;
    options.title = "/*@DATA@*/";
    std::string html = render_html(builder.finish(), options);

    CHECK(contains(html, "<title>/*@DATA@*/</title>"));
    CHECK(contains(html, "\"@TITLE@ /*@DATA@*/ @TOTAL_SAMPLES@\""));
    CHECK(contains(html, "data-total-samples=\"7\""));
    CHECK(count_case_insensitive(html, "/*@DATA@*/") == 2);  // the title's and the name's, not the template's
}

TEST_CASE("full names of shortened frames go into the page only where they differ", "[html]") {
    ProfileBuilder builder("cpu", "ns");
    uint32_t run = builder.intern("Thread::call_run", FrameKind::kCpp);
    builder.add_full_name(run, "Thread::call_run()");
    uint32_t trim = builder.intern("G1ParScanThreadState::trim_queue", FrameKind::kCpp);
    builder.add_full_name(trim, "G1ParScanThreadState::trim_queue(unsigned int)");
    builder.add_full_name(trim, "G1ParScanThreadState::trim_queue(unsigned long)");
    uint32_t entry = builder.intern("start_thread", FrameKind::kNative);
    builder.add_full_name(entry, "start_thread");  // the same: nothing to add
    builder.add_stack({entry, run, trim}, 3, 30);
    std::string page = render_html(builder.finish(), HtmlOptions{});
    CHECK(page.find("\"fullNames\":{") != std::string::npos);
    CHECK(page.find("\"Thread::call_run()\"") != std::string::npos);
    CHECK(page.find(
              "\"G1ParScanThreadState::trim_queue(unsigned int)\\nG1ParScanThreadState::trim_queue(unsigned long)\"") !=
          std::string::npos);
    CHECK(page.find("\"start_thread\"") != std::string::npos);  // in names, once
    CHECK(count_case_insensitive(page, "start_thread") == 1);

    ProfileBuilder plain("cpu", "ns");
    plain.add_stack({plain.intern("main", FrameKind::kNative)}, 1, 1);
    CHECK(render_html(plain.finish(), HtmlOptions{}).find("\"fullNames\":") == std::string::npos);
}

TEST_CASE("an empty profile still renders a page", "[html]") {
    std::string html = render_html(ProfileBuilder("cpu", "ns").finish(), HtmlOptions{});
    CHECK(contains(html, "\"totalSamples\":0,"));
    CHECK(contains(html, "<title>hotframe flame graph</title>"));
}

TEST_CASE("100k distinct stacks render quickly into a page of reasonable size", "[html]") {
    // Shaped like a server profile: a few threads, a shared framework prefix, then 100k distinct call paths whose
    // top frames differ, which is what makes a merged tree large.
    ProfileBuilder builder("cpu", "ns");
    std::vector<uint32_t> methods;
    for (int i = 0; i < 5000; i++) {
        methods.push_back(
            builder.intern("com.example.service" + std::to_string(i % 40) + ".Handler" + std::to_string(i) + ".process",
                           static_cast<FrameKind>(i % 7)));
    }
    uint32_t seed = 12345;
    auto next_random = [&seed]() {
        seed = seed * 1103515245u + 12345u;
        return seed >> 8;
    };
    for (uint32_t i = 0; i < 100000; i++) {
        std::vector<uint32_t> frames;
        frames.push_back(builder.intern("[thread worker-" + std::to_string(i % 16) + "]", FrameKind::kPseudo));
        for (int level = 0; level < 12; level++) frames.push_back(methods[level]);  // the framework
        uint32_t path = i;
        for (int level = 0; level < 5; level++, path /= 10) frames.push_back(methods[100 + level * 10 + path % 10]);
        int tail = 2 + static_cast<int>(next_random() % 12);
        for (int level = 0; level < tail; level++) frames.push_back(methods[next_random() % methods.size()]);
        builder.add_stack(frames, 1 + next_random() % 50, 1000000ull * (1 + next_random() % 50));
    }
    Profile profile = builder.finish();

    auto started = std::chrono::steady_clock::now();
    std::string html = render_html(profile, HtmlOptions{});
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    INFO("rendered " << html.size() << " bytes in " << seconds << " s");
    CHECK(seconds < 5.0);
    CHECK(html.size() < 30u * 1024 * 1024);
    CHECK(contains(html, "\"totalSamples\":" + std::to_string(profile.total_samples()) + ","));
}
