// What the numbers of a profile mean, in words for people: "samples", "estimated bytes allocated",
// "nanoseconds waited". The collapsed header and the HTML page say it, so that a reader never has to guess.
#pragma once

#include <string>

#include "native/aggregate/profile.h"

namespace hotframe {

// The meaning of a stack's value: its sample count, or its weight when `weighted`.
std::string value_meaning(const Profile& profile, bool weighted);

// A short label for the weight in tooltips: "Bytes allocated (estimated)", "Time waited", "CPU time".
std::string weight_label(const Profile& profile);

}  // namespace hotframe
