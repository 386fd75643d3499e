#include "native/symbols/cpp_names.h"

namespace hotframe {

namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string_view trim_spaces(std::string_view text) {
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    return text;
}

// Removes one trailing "[abi:...]" or " [clone ...]" group; false if the text ends otherwise.
bool drop_bracket_suffix(std::string_view& text) {
    if (text.empty() || text.back() != ']') return false;
    size_t open = text.rfind('[');
    if (open == std::string_view::npos) return false;
    std::string_view group = text.substr(open);
    if (group.substr(0, 5) != "[abi:" && group.substr(0, 7) != "[clone ") return false;
    text = trim_spaces(text.substr(0, open));
    return true;
}

// Removes one trailing qualifier of a member function (const, volatile, &, &&); false if there is none.
bool drop_qualifier(std::string_view& text) {
    for (std::string_view word : {std::string_view("const"), std::string_view("volatile")}) {
        // A whole word after the parameter list or another qualifier, not the end of a name like "is_const".
        if (ends_with(text, word) && text.size() > word.size()) {
            char before = text[text.size() - word.size() - 1];
            if (before == ' ' || before == ')') {
                text = trim_spaces(text.substr(0, text.size() - word.size()));
                return true;
            }
        }
    }
    if (!text.empty() && text.back() == '&') {
        text.remove_suffix(ends_with(text, "&&") ? 2 : 1);
        text = trim_spaces(text);
        return true;
    }
    return false;
}

}  // namespace

std::string without_parameters(std::string_view demangled) {
    std::string_view text = trim_spaces(demangled);
    while (drop_bracket_suffix(text) || drop_qualifier(text)) {
    }
    if (text.empty() || text.back() != ')') return std::string(demangled);
    // The '(' that matches the last ')': parentheses inside the parameters (function pointer types,
    // "(anonymous namespace)" in a parameter's type) nest.
    int depth = 0;
    size_t open = std::string_view::npos;
    for (size_t i = text.size(); i-- > 0;) {
        if (text[i] == ')') {
            depth++;
        } else if (text[i] == '(' && --depth == 0) {
            open = i;
            break;
        }
    }
    if (open == std::string_view::npos || open == 0) return std::string(demangled);
    std::string_view name = text.substr(0, open);
    // "Foo::operator()" alone: its brackets are the operator's, not a parameter list.
    if (ends_with(name, "operator")) {
        size_t before = name.size() - 8;
        if (before == 0 || name[before - 1] == ':' || name[before - 1] == ' ') return std::string(demangled);
    }
    while (drop_bracket_suffix(name)) {
    }
    return std::string(name);
}

}  // namespace hotframe
