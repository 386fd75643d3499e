// The entry point every fuzz target defines, as libFuzzer spells it, so that the same file builds with
// clang's -fsanitize=fuzzer or with fuzz_driver.cpp (g++ alone). A target aborts on a broken invariant;
// anything else it returns is 0.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

// A broken invariant: say which, and abort so that the driver (or libFuzzer) keeps the input.
#define FUZZ_CHECK(condition)                                                                        \
    do {                                                                                             \
        if (!(condition)) {                                                                          \
            std::fprintf(stderr, "fuzz check failed: %s (%s:%d)\n", #condition, __FILE__, __LINE__); \
            std::abort();                                                                            \
        }                                                                                            \
    } while (0)
