// The vm walker's reading of a frame waiting for its deoptimization (native/capture/nmethod_scopes.h), on an
// nmethod and a frame made by hand.
#include "native/capture/nmethod_scopes.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>

using namespace hotframe;

TEST_CASE("a frame that returns into the deopt handler has its own pc where the nmethod's offset says",
          "[nmethod_scopes]") {
    // Just enough of an nmethod (JDK 23+'s shape: the deopt handlers as offsets from the nmethod) at field offsets of
    // the test's choosing: _deopt_handler_offset at 16, _deopt_mh_handler_offset at 20, _orig_pc_offset at 24.
    alignas(8) unsigned char nmethod[512] = {};
    auto nm = reinterpret_cast<uintptr_t>(nmethod);
    auto put_int = [&nmethod](size_t field, int32_t value) { std::memcpy(nmethod + field, &value, sizeof(value)); };
    put_int(16, 0x100);
    put_int(20, 0x140);
    constexpr int32_t kSavedPcInFrame = 40;  // where this nmethod's frames keep the pc the deopt handler replaced
    put_int(24, kSavedPcInFrame);
    VmLayout layout{};
    layout.deopt_handler_is_offset = true;
    layout.nmethod_deopt_handler = 16;
    layout.nmethod_deopt_mh_handler = 20;
    layout.nmethod_orig_pc_offset = 24;

    uintptr_t frame[16] = {};
    auto unextended_sp = reinterpret_cast<uintptr_t>(frame);
    constexpr uintptr_t kOriginalPc = 0x7f00'1234'5678;
    frame[kSavedPcInFrame / 8] = kOriginalPc;
    frame[24 / 8] = 0x1'0000'0000;  // what the field's own offset, read as a frame offset, would find

    CHECK(is_deopt_handler(layout, nm, nm + 0x100));
    CHECK(is_deopt_handler(layout, nm, nm + 0x140));
    CHECK(original_pc(layout, nm, nm + 0x100, unextended_sp) == kOriginalPc);
    CHECK(original_pc(layout, nm, nm + 0x140, unextended_sp) == kOriginalPc);
    // Any other pc is its own.
    CHECK_FALSE(is_deopt_handler(layout, nm, nm + 0x104));
    CHECK(original_pc(layout, nm, nm + 0x104, unextended_sp) == nm + 0x104);
}
