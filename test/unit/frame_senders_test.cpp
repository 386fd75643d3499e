// The byte patterns the vm walker reads in generated code (native/capture/frame_senders.h), on bytes made by hand.
#include "native/capture/frame_senders.h"

#include <catch2/catch.hpp>
#include <cstdint>

using namespace hotframe;

namespace {

int pops_in(const uint8_t* code) { return pops_at(reinterpret_cast<uintptr_t>(code)); }

}  // namespace

TEST_CASE("pops after a call: pop r64 with and without REX.B, never pop rbp, at most four", "[frame_senders]") {
    const uint8_t c1_typecheck[] = {0x5E, 0x5E, 0x85, 0xF6};  // pop rsi; pop rsi; test esi, esi
    CHECK(pops_in(c1_typecheck) == 2);
    const uint8_t high_registers[] = {0x41, 0x5A, 0x41, 0x5B, 0x90};  // pop r10; pop r11; nop
    CHECK(pops_in(high_registers) == 2);
    const uint8_t mixed[] = {0x59, 0x41, 0x58, 0x5A, 0xC3};  // pop rcx; pop r8; pop rdx; ret
    CHECK(pops_in(mixed) == 3);
    // An epilogue after a call (pop rbp; ret) undoes no push made for the call.
    const uint8_t epilogue[] = {0x5D, 0xC3};
    CHECK(pops_in(epilogue) == 0);
    const uint8_t pops_then_epilogue[] = {0x58, 0x5D, 0xC3};
    CHECK(pops_in(pops_then_epilogue) == 1);
    const uint8_t many[] = {0x58, 0x59, 0x5A, 0x5B, 0x5E, 0x5F};
    CHECK(pops_in(many) == 4);
    const uint8_t no_pop[] = {0x48, 0x83, 0xC4, 0x10};  // add rsp, 16
    CHECK(pops_in(no_pop) == 0);
    const uint8_t rex_not_pop[] = {0x41, 0x50};  // push r8
    CHECK(pops_in(rex_not_pop) == 0);
}
