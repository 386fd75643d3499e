// Signal-safe: called from the SIGPROF handler, under the fault guard.
#include "native/capture/nmethod_scopes.h"

#include "native/capture/code_cache.h"
#include "native/capture/vm_memory.h"

namespace hotframe {

using vm_memory::kWord;
using vm_memory::read;
using vm_memory::read_word;

namespace {

constexpr int kMaxInlineDepth = 64;  // virtual frames per compiled frame

// CompressedReadStream::read_int: UNSIGNED5, with or without the zero byte (see StreamEncoding).
class DebugStream {
public:
    DebugStream(const uint8_t* data, StreamEncoding encoding)
        : data_(data), excluded_(encoding == StreamEncoding::kUnsigned5ExcludingZero ? 1 : 0) {}

    uint32_t read_int() {
        constexpr uint32_t kHighBytes = 64, kLogHigh = 6;
        const uint32_t low_bytes = 256 - kHighBytes - excluded_;
        uint32_t byte = data_[position_++] - excluded_;
        uint32_t sum = byte;
        if (byte < low_bytes) return sum;
        uint32_t shift = kLogHigh;
        for (int i = 1; i < 5; i++) {
            byte = data_[position_++] - excluded_;
            sum += byte << shift;
            if (byte < low_bytes) break;
            shift += kLogHigh;
        }
        return sum;
    }

private:
    const uint8_t* data_;
    uint32_t excluded_;
    uint32_t position_ = 0;
};

// The scope decode offset of the first PcDesc at or after `relative_pc`, -1 when there is none. At a return
// address that is the one recorded for the call (a call's PcDesc sits at its return address). At the interrupted
// pc: C2 records a non-safepoint PcDesc at the end of each run of instructions of one scope (PhaseOutput calls
// observe_instruction after emitting), so a PcDesc exactly at the pc ends the run just executed; the walker takes
// it, as async-profiler does, and a sample lands in the code that spent the time. AsyncGetCallTrace takes the next
// one (nmethod::pc_desc_near(pc + 1), the instruction about to run): in a loop that C2 sprinkled with a reload from
// another scope that names up to 40% of the loop's samples by that scope (Thread.run's scopedValueBindings in
// ThreadChurn on JDK 25; see test_thread_churn.py). `agct_rule` takes the pc as AsyncGetCallTrace does, for
// cstack=vm,vmcheck, which compares the two walks.
int64_t scope_offset_at(const VmLayout& layout, const NmethodData& data, uintptr_t relative_pc, bool top,
                        bool agct_rule) {
    // A return address without a PcDesc of its own is that of a leaf call (arraycopy and other stubs, which
    // record no debug info): the next PcDesc, which DebugNonSafepoints puts close after it, tells the scope.
    PcDescAt at = pc_desc_from(layout, data, static_cast<int64_t>(relative_pc) + (top && agct_rule ? 1 : 0));
    if (at.desc == 0) return -1;
    return read<int32_t>(at.desc + layout.pc_desc_scope_offset);
}

uint8_t compiled_type(const VmLayout& layout, uintptr_t nm) {
    int level = layout.nmethod_comp_level_width == 1 ? read<int8_t>(nm + layout.nmethod_comp_level)
                                                     : read<int32_t>(nm + layout.nmethod_comp_level);
    return level == 4 ? kFrameC2 : kFrameC1;
}

uintptr_t deopt_handler(const VmLayout& layout, uintptr_t nm, int32_t field) {
    if (layout.deopt_handler_is_offset) return nm + read<int32_t>(nm + field);
    return read_word(nm + field);
}

}  // namespace

NmethodData nmethod_data(const VmLayout& layout, uintptr_t nm) {
    NmethodData data{};
    if (layout.nmethod_data == NmethodDataLayout::kInBlob) {
        data.pcs_begin = nm + read<int32_t>(nm + layout.nmethod_pcs_begin);
        data.pcs_end = nm + read<int32_t>(nm + layout.nmethod_pcs_end);
        data.scopes = read_word(nm + layout.nmethod_scopes_data);
        data.metadata = nm + read<int32_t>(nm + layout.nmethod_metadata);
    } else {
        uintptr_t immutable = read_word(nm + layout.nmethod_immutable_data);
        if (immutable == 0) return data;
        data.pcs_begin = immutable + read<int32_t>(nm + layout.nmethod_pcs_begin);
        data.pcs_end = immutable + read<int32_t>(nm + layout.nmethod_pcs_end);
        data.scopes = immutable + read<int32_t>(nm + layout.nmethod_scopes_data);
        uintptr_t mutable_data = read_word(nm + layout.blob_mutable_data);
        if (mutable_data == 0) return NmethodData{};
        data.metadata = mutable_data + read<int32_t>(nm + layout.blob_relocation_size);
    }
    return data;
}

// Bounded: a binary search over at most 2^24 entries.
PcDescAt pc_desc_from(const VmLayout& layout, const NmethodData& data, int64_t target) {
    if (data.pcs_begin == 0 || data.pcs_end <= data.pcs_begin) return {};
    uintptr_t count = (data.pcs_end - data.pcs_begin) / layout.pc_desc_size;
    if (count > (1u << 24)) return {};
    uintptr_t low = 0, high = count;
    while (low < high) {
        uintptr_t middle = (low + high) / 2;
        int32_t offset = read<int32_t>(data.pcs_begin + middle * layout.pc_desc_size + layout.pc_desc_pc_offset);
        if (offset < target) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    if (low == count) return {};
    uintptr_t desc = data.pcs_begin + low * layout.pc_desc_size;
    return PcDescAt{desc, read<int32_t>(desc + layout.pc_desc_pc_offset) == target};
}

bool is_deopt_handler(const VmLayout& layout, uintptr_t nm, uintptr_t pc) {
    return pc == deopt_handler(layout, nm, layout.nmethod_deopt_handler) ||
           pc == deopt_handler(layout, nm, layout.nmethod_deopt_mh_handler);
}

uintptr_t original_pc(const VmLayout& layout, uintptr_t nm, uintptr_t pc, uintptr_t unextended_sp) {
    if (!is_deopt_handler(layout, nm, pc)) return pc;
    // The slot's offset in the frame is the nmethod's own (nmethod::orig_pc_offset(), the int in _orig_pc_offset),
    // not the field's offset in the nmethod, which read as a frame offset gave garbage: a frame waiting for its
    // deoptimization broke the walk (JDK 25) or was named at its entry (JDK 17; test_vm_deopt_pending.py).
    // What HotSpot asserts is checked, so that a layout gone wrong stops the walk instead of naming another
    // place: the slot lies inside the frame, below its return address, and the pc it keeps inside the nmethod.
    int32_t slot = read<int32_t>(nm + layout.nmethod_orig_pc_offset);
    int frame_words = code_cache::frame_size_words(layout, nm);
    int64_t return_address_at = (static_cast<int64_t>(frame_words) - 1) * static_cast<int64_t>(kWord);
    if (slot < 0 || static_cast<int64_t>(slot) + static_cast<int64_t>(kWord) > return_address_at) return 0;
    uintptr_t saved = read_word(unextended_sp + static_cast<uintptr_t>(slot));
    if (saved < code_cache::code_begin(layout, nm) || saved >= code_cache::blob_end(layout, nm)) return 0;
    return saved;
}

bool add_compiled_frames(const VmLayout& layout, uintptr_t nm, uintptr_t pc, bool top, bool agct_rule,
                         FrameWriter& out) {
    uintptr_t method = read_word(nm + layout.nmethod_method);
    if (is_native_method(layout, method)) {
        // A native method's compiled wrapper has no debug info; AsyncGetCallTrace reports it with bci -3. A method
        // handle intrinsic (invokeBasic, linkToStatic, ...) is a native method too, made by the VM and absent
        // from its class's methods, so it has no jmethodID: like a stub, it gets no frame of its own.
        jmethodID id = method_id(layout, method);
        if (id != nullptr) out.add(id, -3, kFrameNative);
        return true;
    }
    uintptr_t begin = code_cache::code_begin(layout, nm);
    if (pc < begin) return false;
    NmethodData data = nmethod_data(layout, nm);
    int64_t offset = scope_offset_at(layout, data, pc - begin, top, agct_rule);
    uint8_t type = compiled_type(layout, nm);
    if (offset <= 0) {
        // No debug info here: at the top a pc in the prologue, before the first PcDesc; below it the return
        // address of a call from the nmethod's stub section, where C1's slow paths call runtime stubs that record
        // no call info (monitorexit) and C2's out-of-line stub calls the nmethod entry barrier (JDK 21 and later).
        // The method itself, bci unknown, which is InvocationEntryBci (-1) as AsyncGetCallTrace says it, so that
        // no line is made up for it; the frames inlined into it are unknown.
        out.add(method_id(layout, method), layout.invocation_entry_bci, type);
        return true;
    }
    for (int depth = 0; depth < kMaxInlineDepth && offset > 0 && !out.full(); depth++) {
        DebugStream stream(reinterpret_cast<const uint8_t*>(data.scopes + offset), layout.stream_encoding);
        int64_t sender = stream.read_int();
        uint32_t metadata_index = stream.read_int();
        // Written as bci - InvocationEntryBci into an unsigned stream, so the special negative bcis come back
        // as large values: taken back to 32 bits and widened before the sum, which a corrupt stream cannot
        // then make overflow.
        auto encoded_bci = static_cast<int32_t>(stream.read_int());
        auto bci = static_cast<int>(static_cast<int64_t>(encoded_bci) + layout.invocation_entry_bci);
        if (metadata_index == 0) return false;
        uintptr_t scope_method = read_word(data.metadata + (metadata_index - 1) * kWord);
        out.add(method_id(layout, scope_method), bci, kFrameInlined);
        offset = sender;
    }
    out.set_last_type(type);
    return true;
}

}  // namespace hotframe
