// Signal-safe. The debug information of an nmethod as the vm walker reads it: its PcDescs (sorted by pc offset)
// and the scopes they point at, which name the method and bci of every inlined level at a pc; and the pc a frame
// that is being deoptimized was at. Reads VM memory: call under the fault guard.
#pragma once

#include <stdint.h>

#include "native/capture/java_frames.h"
#include "native/capture/vm_layout.h"

namespace hotframe {

// Where one nmethod's PcDescs, scopes and metadata are (see NmethodDataLayout); all 0 when unknown.
struct NmethodData {
    uintptr_t pcs_begin;
    uintptr_t pcs_end;
    uintptr_t scopes;
    uintptr_t metadata;  // Metadata*[], index i at [i - 1]
};

NmethodData nmethod_data(const VmLayout& layout, uintptr_t nm);

// The first of the nmethod's PcDescs whose offset is >= `target`, and whether its offset is exactly `target`;
// desc is 0 when there is none.
struct PcDescAt {
    uintptr_t desc = 0;
    bool exact = false;
};
PcDescAt pc_desc_from(const VmLayout& layout, const NmethodData& data, int64_t target);

// Whether `pc` is one of the nmethod's deopt handlers: the return address of a frame it called once that
// frame's deoptimization patched it, a return address no call left.
bool is_deopt_handler(const VmLayout& layout, uintptr_t nm, uintptr_t pc);

// The pc a frame whose return address is `pc` really was at: a frame being deoptimized returns into its
// nmethod's deopt handler, and keeps the pc it replaced in the frame (nmethod::get_original_pc). 0 when the slot
// or the pc it holds is not where HotSpot would have put them.
uintptr_t original_pc(const VmLayout& layout, uintptr_t nm, uintptr_t pc, uintptr_t unextended_sp);

// The Java frames of one compiled frame at `pc` into `out`, innermost first: every scope but the outermost was
// inlined. `top`: `pc` is the interrupted instruction, not a return address; `agct_rule`: name it by the debug
// info after it, as AsyncGetCallTrace does (for vmcheck), not by the one at it. False when there is no debug info
// to name them.
bool add_compiled_frames(const VmLayout& layout, uintptr_t nm, uintptr_t pc, bool top, bool agct_rule,
                         FrameWriter& out);

}  // namespace hotframe
