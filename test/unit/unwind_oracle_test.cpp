// libunwind as the oracle of the native stack walk's DWARF mode (native/capture/native_stack.h): from inside the
// probe functions, which keep no frame pointers, both walk the same stack and must find the same frames. Built
// only where pkg-config finds libunwind, into a binary of its own (see test/CMakeLists.txt): libunwind.so also
// exports _Unwind_RaiseException and friends, which would take over every C++ throw of the main unit-test binary.
#define UNW_LOCAL_ONLY
#include <libunwind.h>
#include <ucontext.h>

#include <catch2/catch.hpp>
#include <sstream>
#include <string>

#include "native/capture/library_code.h"
#include "native/capture/native_stack.h"
#include "native/capture/unwind_table.h"
#include "native/symbols/library_scan.h"
#include "native/symbols/native_symbols.h"
#include "test/unit/unwind_probe.h"

using namespace hotframe;

namespace {

constexpr int kMaxFrames = 128;

struct TwoWalks {
    uintptr_t ours[kMaxFrames];
    NativeWalk walk;
    uintptr_t oracle[kMaxFrames];
    int oracle_count;
    bool oracle_ok;
};

// The probe chain's callback. Both contexts are taken in this one frame, so every frame above it (the return
// addresses into the probes, the test, Catch2, main, libc) is the same for both walks; only frame 0 differs,
// one call site after getcontext and one after unw_getcontext, both in this function.
__attribute__((noinline)) void capture_both_walks(void* argument) {
    auto* walks = static_cast<TwoWalks*>(argument);
    ucontext_t context;
    getcontext(&context);
    walks->walk = walk_native_stack(&context, UnwindMethod::kDwarf, false, walks->ours, kMaxFrames);

    unw_context_t oracle_context;
    unw_cursor_t cursor;
    walks->oracle_count = 0;
    walks->oracle_ok = unw_getcontext(&oracle_context) == 0 && unw_init_local(&cursor, &oracle_context) == 0;
    if (!walks->oracle_ok) return;
    int stepped = 1;
    while (stepped > 0 && walks->oracle_count < kMaxFrames) {
        unw_word_t ip = 0;
        if (unw_get_reg(&cursor, UNW_REG_IP, &ip) != 0) {
            walks->oracle_ok = false;
            return;
        }
        walks->oracle[walks->oracle_count++] = static_cast<uintptr_t>(ip);
        stepped = unw_step(&cursor);
    }
    if (stepped < 0) walks->oracle_ok = false;
}

// The test's own frame in the chain, with a name to look for: the caller of the outermost probe.
__attribute__((noinline)) void call_probes_from_test(TwoWalks& walks) {
    unwind_probe_outer(capture_both_walks, &walks);
    asm volatile("" ::: "memory");  // not a tail call: this frame stays on the stack
}

// How many of the walk's leading frames came from DWARF rules alone. The walk does not say which rule took each
// step, so this asks the same tables it asked (library_code::find, find_unwind_row with the pc, or one byte
// before a return address): frame i + 1 is trustworthy only if frame i had a row, since without one the walk
// fell back to frame pointers (a DWARF expression, the PLT, a signal frame, code outside any known library).
// Frame pointers are not what is under test and need not agree with libunwind, so the comparison stops at the
// first frame reached through them.
int frames_by_dwarf(const TwoWalks& walks) {
    for (int i = 0; i < walks.walk.count; i++) {
        uintptr_t lookup_pc = i == 0 ? walks.ours[i] : walks.ours[i] - 1;
        const library_code::Library* library = library_code::find(lookup_pc);
        const UnwindTable* table = library != nullptr ? library->unwind.load(std::memory_order_acquire) : nullptr;
        const UnwindRow* row = table != nullptr ? find_unwind_row(*table, lookup_pc) : nullptr;
        if (row == nullptr || row->cfa_register == kCfaUnknown) return i + 1;
    }
    return walks.walk.count;
}

std::string name_of(uintptr_t pc, int frame) { return NativeSymbols::shared().resolve(pc, frame > 0).name; }

std::string side_by_side(const TwoWalks& walks, int compared) {
    std::ostringstream text;
    int rows = walks.walk.count > walks.oracle_count ? walks.walk.count : walks.oracle_count;
    for (int i = 0; i < rows; i++) {
        text << (i < compared ? "  " : "- ") << i << ": ";
        if (i < walks.walk.count)
            text << std::hex << "0x" << walks.ours[i] << std::dec << " " << name_of(walks.ours[i], i);
        text << "  |  libunwind: ";
        if (i < walks.oracle_count) {
            text << std::hex << "0x" << walks.oracle[i] << std::dec << " " << name_of(walks.oracle[i], i);
        }
        text << "\n";
    }
    return text.str();
}

}  // namespace

TEST_CASE("the DWARF walk finds the frames libunwind finds, through functions without frame pointers",
          "[unwind][oracle]") {
    library_scan::refresh(true);
    TwoWalks walks{};
    call_probes_from_test(walks);
    REQUIRE(walks.oracle_ok);
    int compared = frames_by_dwarf(walks);
    if (compared > walks.oracle_count) compared = walks.oracle_count;
    INFO("frames (- not compared: reached through frame pointers, or past the oracle's end):\n"
         << side_by_side(walks, compared));

    // The probe chain is all DWARF rules: the callback, the three probes and the test function that called them.
    REQUIRE(compared >= 5);
    CHECK(name_of(walks.ours[0], 0).find("capture_both_walks") != std::string::npos);
    CHECK(name_of(walks.ours[0], 0) == name_of(walks.oracle[0], 0));  // two call sites in one function
    CHECK(name_of(walks.ours[1], 1) == "unwind_probe_inner");
    CHECK(name_of(walks.ours[2], 2) == "unwind_probe_middle");
    CHECK(name_of(walks.ours[3], 3) == "unwind_probe_outer");
    CHECK(name_of(walks.ours[4], 4).find("call_probes_from_test") != std::string::npos);
    for (int i = 1; i < compared; i++) {
        INFO("frame " << i);
        CHECK(walks.ours[i] == walks.oracle[i]);
    }
    // Where every step was a DWARF one, the walk ends where libunwind's does: at the thread's first frame.
    if (compared == walks.walk.count) {
        CHECK(walks.walk.count == walks.oracle_count);
        CHECK(walks.walk.end == kWalkOutermost);
    }
}
