#include "native/symbols/kernel_symbols.h"

#include <catch2/catch.hpp>

using namespace hotframe;

TEST_CASE("kernel addresses are named by the function at or below them", "[kernel]") {
    KernelSymbols symbols;
    symbols.load_from(
        "ffffffff81000000 T _stext\n"
        "ffffffff81001000 t do_syscall_64\n"
        "ffffffff81002000 D some_data\n"
        "ffffffff81003000 W weak_function\n"
        "ffffffffc0000000 t ext4_file_write_iter\t[ext4]\n");
    CHECK(symbols.resolve(0xffffffff81001010) == "do_syscall_64");
    CHECK(symbols.resolve(0xffffffff81002010) == "do_syscall_64");  // data symbols are not functions
    CHECK(symbols.resolve(0xffffffff81003001) == "weak_function");
    CHECK(symbols.resolve(0xffffffffc0000040) == "ext4_file_write_iter");
    CHECK(symbols.resolve(0x1000) == "[kernel]");
    CHECK(symbols.resolve(0xffffffffc8000000) == "[kernel]");  // far past the last symbol
}

TEST_CASE("hidden kernel addresses leave every frame as [kernel]", "[kernel]") {
    KernelSymbols symbols;
    symbols.load_from("0000000000000000 T _stext\n0000000000000000 t do_syscall_64\n");
    CHECK(symbols.resolve(0xffffffff81001010) == "[kernel]");
}
