// Off the signal path. One name per function address. Symbol tables often hold several names for one function:
// libc's debug file has `clone3` and `__clone3` (both local), `clock_gettime`, `__clock_gettime` and
// `__GI___clock_gettime`; the vDSO has `clock_gettime` and `__vdso_clock_gettime`. A profile must name one
// function one way every time, so the choice is a fixed rule: a global (or weak) name before a local one, then
// the name with the fewest leading underscores (the public spelling), then the shortest, then the first in
// byte order, so that the choice never depends on the order of the tables.
#pragma once

#include <string_view>

#include "native/symbols/function_table.h"

namespace hotframe {

// Whether `a` (global or not) is the better name for the function both name.
bool better_function_name(std::string_view a, bool a_global, std::string_view b, bool b_global);

// Sorts by address and keeps the best name of each address, with the largest size any of its names gives (a
// name defined in assembly may lack one).
void keep_one_name_per_address(FunctionTable& symbols);

}  // namespace hotframe
