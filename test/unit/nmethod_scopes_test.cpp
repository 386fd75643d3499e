// The vm walker's reading of a frame waiting for its deoptimization (native/capture/nmethod_scopes.h), on an
// nmethod and a frame made by hand.
#include "native/capture/nmethod_scopes.h"

#include <catch2/catch.hpp>
#include <cstddef>
#include <cstdint>

using namespace hotframe;

namespace {

// Just enough of an nmethod, at field offsets of the test's choosing: the deopt handlers as offsets from the
// nmethod (JDK 23+) or as addresses (JDK 17), the offset in its frames where the replaced pc is kept, and the
// blob fields that bound its code and frame.
struct FakeNmethod {
    uintptr_t handler_address;     // JDK 17: CompiledMethod::_deopt_handler_begin
    uintptr_t mh_handler_address;  // ... _deopt_mh_handler_begin
    int32_t handler_offset;        // JDK 23+: nmethod::_deopt_handler_offset
    int32_t mh_handler_offset;     // ... _deopt_mh_handler_offset
    int32_t orig_pc_offset;        // nmethod::_orig_pc_offset: where in the frame
    int32_t code_offset;           // CodeBlob::_code_offset (JDK 23+'s form; 17 keeps an address)
    int32_t size;                  // CodeBlob::_size
    int32_t frame_size;            // CodeBlob::_frame_size, in words
    unsigned char code[512];
};

constexpr int32_t kSavedPcInFrame = 40;  // where this nmethod's frames keep the pc the deopt handler replaced
constexpr int kFrameWords = 16;

void check_original_pc(const VmLayout& layout, FakeNmethod& fake, uintptr_t handler, uintptr_t mh_handler) {
    auto nm = reinterpret_cast<uintptr_t>(&fake);
    uintptr_t original = reinterpret_cast<uintptr_t>(&fake.code[0x20]);
    uintptr_t frame[kFrameWords] = {};
    auto unextended_sp = reinterpret_cast<uintptr_t>(frame);
    frame[kSavedPcInFrame / 8] = original;
    // What the field's own offset, read as a frame offset, would find.
    frame[layout.nmethod_orig_pc_offset / 8] = 0x1'0000'0000;
    CHECK(is_deopt_handler(layout, nm, handler));
    CHECK(is_deopt_handler(layout, nm, mh_handler));
    CHECK(original_pc(layout, nm, handler, unextended_sp) == original);
    CHECK(original_pc(layout, nm, mh_handler, unextended_sp) == original);
    // Any other pc is its own.
    CHECK_FALSE(is_deopt_handler(layout, nm, handler + 4));
    CHECK(original_pc(layout, nm, handler + 4, unextended_sp) == handler + 4);

    SECTION("a saved pc outside the nmethod's code is not taken") {
        frame[kSavedPcInFrame / 8] = nm + sizeof(FakeNmethod);
        CHECK(original_pc(layout, nm, handler, unextended_sp) == 0);
        frame[kSavedPcInFrame / 8] = nm;  // the blob's header, before its code
        CHECK(original_pc(layout, nm, handler, unextended_sp) == 0);
    }
    SECTION("a slot outside the frame is not read") {
        // The last word below the return address is still the frame's; the return address's slot is not.
        fake.orig_pc_offset = (kFrameWords - 2) * 8;
        frame[kFrameWords - 2] = original;
        CHECK(original_pc(layout, nm, handler, unextended_sp) == original);
        fake.orig_pc_offset = (kFrameWords - 1) * 8;
        CHECK(original_pc(layout, nm, handler, unextended_sp) == 0);
        fake.orig_pc_offset = -8;
        CHECK(original_pc(layout, nm, handler, unextended_sp) == 0);
        fake.orig_pc_offset = kSavedPcInFrame;
        fake.frame_size = 0;  // a blob without a frame of its own
        CHECK(original_pc(layout, nm, handler, unextended_sp) == 0);
    }
}

}  // namespace

TEST_CASE("a frame that returns into the deopt handler has its own pc where the nmethod's offset says",
          "[nmethod_scopes]") {
    FakeNmethod fake{};
    auto nm = reinterpret_cast<uintptr_t>(&fake);
    fake.orig_pc_offset = kSavedPcInFrame;
    fake.code_offset = offsetof(FakeNmethod, code);
    fake.size = sizeof(FakeNmethod);
    fake.frame_size = kFrameWords;
    VmLayout layout{};
    layout.nmethod_orig_pc_offset = offsetof(FakeNmethod, orig_pc_offset);
    layout.blob_code_begin = -1;
    layout.blob_code_offset = offsetof(FakeNmethod, code_offset);
    layout.blob_size = offsetof(FakeNmethod, size);
    layout.blob_frame_size = offsetof(FakeNmethod, frame_size);
    REQUIRE(layout.nmethod_orig_pc_offset != kSavedPcInFrame);
    REQUIRE(layout.nmethod_orig_pc_offset / 8 < kFrameWords);

    SECTION("JDK 23+: handlers as offsets from the nmethod") {
        fake.handler_offset = 0x100;
        fake.mh_handler_offset = 0x140;
        layout.deopt_handler_is_offset = true;
        layout.nmethod_deopt_handler = offsetof(FakeNmethod, handler_offset);
        layout.nmethod_deopt_mh_handler = offsetof(FakeNmethod, mh_handler_offset);
        check_original_pc(layout, fake, nm + 0x100, nm + 0x140);
    }
    SECTION("JDK 17: handlers as addresses") {
        fake.handler_address = nm + 0x180;
        fake.mh_handler_address = nm + 0x1c0;
        layout.deopt_handler_is_offset = false;
        layout.nmethod_deopt_handler = offsetof(FakeNmethod, handler_address);
        layout.nmethod_deopt_mh_handler = offsetof(FakeNmethod, mh_handler_address);
        check_original_pc(layout, fake, nm + 0x180, nm + 0x1c0);
    }
}
