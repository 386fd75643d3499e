// The data of a diagnosis page (native/output/diagnosis_page.h): one JSON object with what the tabs show besides
// the flame graphs' own data: the window's numbers, the verdicts, the memory series, a row per thread (CPU time,
// states, most frequent stack, the events it has samples in), the thread dump and the flame graph viewer's
// page. Its strings are escaped so that the object can stand in a <script> element as it is.
#pragma once

#include <string>

#include "native/output/diagnosis_page.h"

namespace hotframe {

std::string diagnosis_page_data(const Diagnosis& diagnosis);

}  // namespace hotframe
