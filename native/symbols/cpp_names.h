// Off the signal path. Short names for demangled C++ functions, as a person reads them in a flame graph:
// "G1ParScanThreadState::trim_queue_to_threshold(unsigned int)" -> "G1ParScanThreadState::trim_queue_to_threshold".
// Overloads then share one frame, as in async-profiler without its --sig; the full name stays in the HTML
// tooltip, and the sig option keeps it everywhere.
#pragma once

#include <string>
#include <string_view>

namespace hotframe {

// Drops what follows the function's name: the parameter list (found by matching brackets from the end, so that
// parameters such as "void (*)(int)" are skipped whole), the qualifiers after it (" const", " volatile", "&",
// "&&"), ABI tags ("[abi:cxx11]") and GCC's clone suffixes (" [clone .cold]"). What names the function stays:
// scopes such as "(anonymous namespace)::" and "{lambda()#1}::", "operator()", "operator<<", template
// arguments. A name that does not end in a parameter list comes back as it is.
std::string without_parameters(std::string_view demangled);

}  // namespace hotframe
