// Signal-safe: called from the SIGPROF handler, under the fault guard.
#include "native/capture/java_walk.h"

#include <jni.h>

#include "native/capture/library_code.h"

namespace hotframe {

namespace {

constexpr uintptr_t kWord = sizeof(uintptr_t);
// Bounds that keep a corrupt structure from sending a loop on for ever.
constexpr int kMaxSteps = 4096;           // physical frames per walk
constexpr int kMaxInlineDepth = 64;       // virtual frames per compiled frame
constexpr int kMaxSegmentHops = 1 << 16;  // code heap segment map hops to a block's start
constexpr int kMaxEntryFrames = 64;       // Java segments joined through entry frames
constexpr int kMaxContinuations = 16;     // nested continuation entries looked through

template <typename T>
T read(uintptr_t address) {
    return *reinterpret_cast<const T*>(address);
}

uintptr_t read_word(uintptr_t address) { return read<uintptr_t>(address); }

bool aligned(uintptr_t address) { return address != 0 && (address & (kWord - 1)) == 0; }

// The thread's own stack, [low, high): every frame the walk accepts lies inside it.
struct StackRange {
    uintptr_t low;
    uintptr_t high;
    bool contains(uintptr_t address) const { return address >= low && address < high && (address & 7) == 0; }
};

struct Frame {
    uintptr_t pc;
    uintptr_t sp;             // the frame's stack pointer as its caller sees it
    uintptr_t unextended_sp;  // below sp when an interpreted callee extended the caller's frame (see below)
    uintptr_t fp;
};

// --- the code cache ---

// The CodeBlob holding `pc`, or 0: the segment map tells the start of the heap block holding each segment (a
// byte per segment: 0 at a block's first segment, else how many segments to step back; segmap_free outside any
// block).
uintptr_t find_blob(const VmLayout& layout, uintptr_t pc) {
    if (pc < layout.code_low || pc >= layout.code_high) return 0;
    for (int h = 0; h < layout.heap_count; h++) {
        const VmLayout::CodeHeap& heap = layout.heaps[h];
        if (pc < heap.low || pc >= heap.high) continue;
        uintptr_t segment = (pc - heap.low) >> heap.log2_segment;
        uint8_t hop = read<uint8_t>(heap.segmap + segment);
        if (hop == layout.segmap_free) return 0;
        for (int i = 0; hop != 0; i++) {
            if (i == kMaxSegmentHops || hop > segment) return 0;
            segment -= hop;
            hop = read<uint8_t>(heap.segmap + segment);
        }
        uintptr_t block = heap.low + (segment << heap.log2_segment);
        if (!read<bool>(block + layout.heap_block_used)) return 0;
        return block + layout.heap_block_size;
    }
    return 0;
}

bool is_nmethod(const VmLayout& layout, uintptr_t blob) {
    if (layout.blob_kind >= 0) return read<uint8_t>(blob + layout.blob_kind) == layout.blob_kind_nmethod;
    // Before JDK 23 an nmethod is known by its name: "nmethod", or "native nmethod" for a native method's wrapper.
    const char* name = read<const char*>(blob + layout.blob_name);
    if (name == nullptr) return false;
    const char native_prefix[] = "native ";
    if (name[0] == 'n' && name[1] == 'a') {
        for (unsigned i = 0; i + 1 < sizeof(native_prefix); i++) {
            if (name[i] != native_prefix[i]) return false;
        }
        name += sizeof(native_prefix) - 1;
    }
    const char expected[] = "nmethod";
    for (unsigned i = 0; i < sizeof(expected); i++) {
        if (name[i] != expected[i]) return false;
    }
    return true;
}

uintptr_t code_begin(const VmLayout& layout, uintptr_t blob) {
    if (layout.blob_code_begin >= 0) return read_word(blob + layout.blob_code_begin);
    return blob + read<int32_t>(blob + layout.blob_code_offset);
}

int frame_complete_offset(const VmLayout& layout, uintptr_t blob) {
    if (layout.blob_frame_complete_width == 2) return read<int16_t>(blob + layout.blob_frame_complete);
    return read<int32_t>(blob + layout.blob_frame_complete);
}

int frame_size_words(const VmLayout& layout, uintptr_t blob) { return read<int32_t>(blob + layout.blob_frame_size); }

bool in_interpreter(const VmLayout& layout, uintptr_t pc) {
    return pc >= layout.interpreter_low && pc < layout.interpreter_high;
}

// --- methods ---

// Method* to jmethodID (see the header for why this cannot name the wrong method); 0 when the class has no
// jmethodID for it (yet) or the structures do not agree.
jmethodID method_id(const VmLayout& layout, uintptr_t method) {
    if (!aligned(method)) return nullptr;
    uintptr_t const_method = read_word(method + layout.method_const_method);
    if (!aligned(const_method)) return nullptr;
    uintptr_t constants = read_word(const_method + layout.const_method_constants);
    if (!aligned(constants)) return nullptr;
    uintptr_t holder = read_word(constants + layout.constant_pool_holder);
    if (!aligned(holder)) return nullptr;
    uintptr_t ids = read_word(holder + layout.klass_jmethod_ids);
    if (!aligned(ids)) return nullptr;
    uintptr_t idnum = read<uint16_t>(const_method + layout.const_method_idnum);
    uintptr_t length = read_word(ids);  // [0] holds the array's length, the ids follow
    if (idnum + 1 > length) return nullptr;
    uintptr_t id = read_word(ids + (idnum + 1) * kWord);
    if (!aligned(id)) return nullptr;
    if (layout.jmethod_id_is_method_slot && read_word(id) != method) return nullptr;
    return reinterpret_cast<jmethodID>(id);
}

bool is_native_method(const VmLayout& layout, uintptr_t method) {
    return (read<uint16_t>(method + layout.method_access_flags) & layout.access_native) != 0;
}

// --- debug info of compiled code ---

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

struct NmethodData {
    uintptr_t pcs_begin;
    uintptr_t pcs_end;
    uintptr_t scopes;
    uintptr_t metadata;  // Metadata*[], index i at [i - 1]
};

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

// The first of the nmethod's PcDescs (sorted by pc offset) whose offset is >= `target`, and whether its offset
// is exactly `target`; 0 when there is none. Bounded: a binary search over at most 2^24 entries.
struct PcDescAt {
    uintptr_t desc = 0;
    bool exact = false;
};
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

class FrameWriter {
public:
    FrameWriter(AgctFrame* frames, int max) : frames_(frames), max_(max) {}
    bool full() const { return count_ >= max_; }
    void add(jmethodID method, int bci, uint8_t type) {
        if (full()) return;
        frames_[count_].bci = bci;
        frames_[count_].type = type;
        frames_[count_].method = method;
        count_++;
    }
    int count() const { return count_; }
    // The last frame written, to turn the outermost of a compiled frame's scopes from "inlined" to compiled.
    void set_last_type(uint8_t type) {
        if (count_ > 0) frames_[count_ - 1].type = type;
    }

private:
    AgctFrame* frames_;
    int max_;
    int count_ = 0;
};

uintptr_t deopt_handler(const VmLayout& layout, uintptr_t nm, int32_t field) {
    if (layout.deopt_handler_is_offset) return nm + read<int32_t>(nm + field);
    return read_word(nm + field);
}

// The pc a frame that is being deoptimized was at: its return address now leads into the nmethod's deopt
// handler, and the pc it replaced is kept in the frame (nmethod::get_original_pc).
uintptr_t original_pc(const VmLayout& layout, uintptr_t nm, uintptr_t pc, uintptr_t unextended_sp) {
    if (pc != deopt_handler(layout, nm, layout.nmethod_deopt_handler) &&
        pc != deopt_handler(layout, nm, layout.nmethod_deopt_mh_handler)) {
        return pc;
    }
    return read_word(unextended_sp + layout.nmethod_orig_pc_offset);
}

// The Java frames of one compiled frame, innermost first: every scope but the outermost was inlined.
bool add_compiled_frames(const VmLayout& layout, uintptr_t nm, uintptr_t pc, bool top, bool agct_rule,
                         FrameWriter& out) {
    uintptr_t method = read_word(nm + layout.nmethod_method);
    if (is_native_method(layout, method)) {
        // A native method's compiled wrapper has no debug info; AsyncGetCallTrace reports it with bci -3.
        out.add(method_id(layout, method), -3, kFrameNative);
        return true;
    }
    uintptr_t begin = code_begin(layout, nm);
    if (pc < begin) return false;
    NmethodData data = nmethod_data(layout, nm);
    int64_t offset = scope_offset_at(layout, data, pc - begin, top, agct_rule);
    uint8_t type = compiled_type(layout, nm);
    if (offset <= 0) {
        // No debug info here (a pc in the prologue, before the first PcDesc): the method itself, bci unknown,
        // which is InvocationEntryBci (-1) as AsyncGetCallTrace says it, so that no line is made up for it.
        if (top) {
            out.add(method_id(layout, method), layout.invocation_entry_bci, type);
            return true;
        }
        return false;
    }
    for (int depth = 0; depth < kMaxInlineDepth && offset > 0 && !out.full(); depth++) {
        DebugStream stream(reinterpret_cast<const uint8_t*>(data.scopes + offset), layout.stream_encoding);
        int64_t sender = stream.read_int();
        uint32_t metadata_index = stream.read_int();
        int bci = static_cast<int>(stream.read_int()) + layout.invocation_entry_bci;
        if (metadata_index == 0) return false;
        uintptr_t scope_method = read_word(data.metadata + (metadata_index - 1) * kWord);
        out.add(method_id(layout, scope_method), bci, kFrameInlined);
        offset = sender;
    }
    out.set_last_type(type);
    return true;
}

// --- frames ---

uintptr_t interpreter_slot(const Frame& frame, int32_t slot) {
    return read_word(frame.fp + static_cast<intptr_t>(slot) * static_cast<intptr_t>(kWord));
}

void add_interpreted_frame(const VmLayout& layout, const Frame& frame, FrameWriter& out) {
    uintptr_t method = interpreter_slot(frame, layout.interpreter_method_slot);
    jmethodID id = method_id(layout, method);
    if (id == nullptr) {
        out.add(nullptr, 0, kFrameInterpreted);
        return;
    }
    if (is_native_method(layout, method)) {
        out.add(id, -3, kFrameNative);
        return;
    }
    uintptr_t const_method = read_word(method + layout.method_const_method);
    uintptr_t code = const_method + layout.const_method_size;
    uintptr_t code_size = read<uint16_t>(const_method + layout.const_method_code_size);
    uintptr_t bcp = interpreter_slot(frame, layout.interpreter_bcp_slot);
    // A bcp outside the method's bytecodes (not yet set at entry): bci unknown, InvocationEntryBci, no line.
    int bci = bcp >= code && bcp < code + code_size ? static_cast<int>(bcp - code) : layout.invocation_entry_bci;
    out.add(id, bci, kFrameInterpreted);
}

// A pc the walk may continue at: code that runs Java or calls it.
bool plausible_code(const VmLayout& layout, uintptr_t pc) {
    if (pc == layout.call_stub_return || in_interpreter(layout, pc)) return true;
    uintptr_t blob = find_blob(layout, pc);
    return blob != 0 && pc > code_begin(layout, blob);
}

// The caller of a frame whose return address is the word at `slot` (the sender's sp is just above it); its fp is
// `fp` unchanged, or the word below the return address when `fp_saved`.
bool sender_at(const VmLayout& layout, const StackRange& stack, Frame& frame, uintptr_t slot, bool fp_saved) {
    if (!stack.contains(slot)) return false;
    uintptr_t pc = read_word(slot);
    if (!plausible_code(layout, pc)) return false;
    uintptr_t fp = fp_saved ? read_word(slot - kWord) : frame.fp;
    frame = Frame{pc, slot + kWord, slot + kWord, fp};
    return true;
}

// A frame of known size (compiled Java code, runtime stubs): the return address is the last word of the frame,
// the caller's fp just below it (frame_x86: sender_sp = unextended_sp + frame_size).
bool sized_frame_sender(const VmLayout& layout, const StackRange& stack, Frame& frame, int frame_words) {
    if (frame_words <= 0 || frame_words > 1 << 16) return false;
    uintptr_t sender_sp = frame.unextended_sp + static_cast<uintptr_t>(frame_words) * kWord;
    return sender_at(layout, stack, frame, sender_sp - kWord, true);
}

// A return address that only a call leaves: into the interpreter, the call stub, a stub, or compiled code at a
// call site (which has a PcDesc of its own at its return address).
bool call_site(const VmLayout& layout, uintptr_t pc) {
    if (pc == layout.call_stub_return || in_interpreter(layout, pc)) return true;
    uintptr_t blob = find_blob(layout, pc);
    if (blob == 0) return false;
    uintptr_t begin = code_begin(layout, blob);
    if (pc <= begin) return false;
    if (!is_nmethod(layout, blob)) return true;
    return pc_desc_from(layout, nmethod_data(layout, blob), static_cast<int64_t>(pc - begin)).exact;
}

// The interrupted compiled frame whose sp is not where its frame size says: code inside it moved sp for a while
// (x86's String.indexOf intrinsic copies a short substring onto the stack). The return address is then a few
// words higher than the frame size puts it; only a word a call could have left there is taken.
bool scanned_sender(const VmLayout& layout, const StackRange& stack, Frame& frame, int frame_words) {
    constexpr int kMaxScanWords = 32;
    if (frame_words <= 0 || frame_words > 1 << 16) return false;
    for (int extra = 1; extra <= kMaxScanWords; extra++) {
        uintptr_t slot = frame.unextended_sp + static_cast<uintptr_t>(frame_words + extra - 1) * kWord;
        if (!stack.contains(slot)) return false;
        if (call_site(layout, read_word(slot))) return sender_at(layout, stack, frame, slot, true);
    }
    return false;
}

// A frame that is not complete (compiled code's prologue, before `sub rsp` or even before `push rbp`), or code
// that builds no frame at all (most StubRoutines): the return address is at sp, or one word higher with rbp
// pushed. Only a pc that runs or calls Java is accepted, so a saved rbp is never taken for a return address.
bool frameless_sender(const VmLayout& layout, const StackRange& stack, Frame& frame) {
    Frame candidate = frame;
    if (sender_at(layout, stack, candidate, frame.sp, false)) {
        frame = candidate;
        return true;
    }
    candidate = frame;
    if (sender_at(layout, stack, candidate, frame.sp + kWord, true)) {
        frame = candidate;
        return true;
    }
    return false;
}

// An rbp-framed stub (enter() ... leave()): [fp] the caller's fp, [fp + 8] the return address.
bool fp_framed_sender(const VmLayout& layout, const StackRange& stack, Frame& frame) {
    if (!stack.contains(frame.fp) || frame.fp < frame.sp) return false;
    return sender_at(layout, stack, frame, frame.fp + kWord, true);
}

// An entry frame (the call stub that JavaCalls uses to enter Java from the VM): the Java frames below it are
// those of the JavaCallWrapper's anchor, if that segment has any; else this was the outermost Java frame.
enum class Step { kNext, kOutermost, kBroken };

Step from_anchor(const StackRange& stack, uintptr_t anchor_sp_at, uintptr_t anchor_pc_at, uintptr_t anchor_fp_at,
                 Frame& frame) {
    uintptr_t sp = read_word(anchor_sp_at);
    if (sp == 0) return Step::kOutermost;
    if (!stack.contains(sp)) return Step::kBroken;
    uintptr_t pc = read_word(anchor_pc_at);
    // The anchor's pc is 0 when the frame was left by a call whose return address is still on the stack.
    if (pc == 0) pc = read_word(sp - kWord);
    frame = Frame{pc, sp, sp, read_word(anchor_fp_at)};
    return Step::kNext;
}

Step entry_frame_sender(const VmLayout& layout, const StackRange& stack, Frame& frame) {
    if (!stack.contains(frame.fp)) return Step::kBroken;
    uintptr_t wrapper = interpreter_slot(frame, layout.entry_frame_call_wrapper_slot);
    if (!aligned(wrapper)) return Step::kBroken;
    return from_anchor(stack, wrapper + layout.call_wrapper_anchor_sp, wrapper + layout.call_wrapper_anchor_pc,
                       wrapper + layout.call_wrapper_anchor_fp, frame);
}

// A mounted continuation (a virtual thread) whose lower frames are still frozen in its heap stack chunk: thaw
// copies only the top frames of a large stack back (more than about 500 words) and points the lowest one's
// return address at StubRoutines::cont_returnBarrier, which thaws more when it is returned to. A Java frame's
// caller is Java code or an entry frame (the call stub), never another stub, so a return into a stub at or below
// one of the thread's continuation entries is that barrier. The frozen frames live in the Java heap, where a GC
// may move them: the walker does not read them. `frame` becomes the entry's own frame, Continuation.enterSpecial
// (sp at the ContinuationEntry, fp just above it, pc its return address), as HotSpot's frame::sender does
// without walking the continuation (Continuation::continuation_bottom_sender).
bool at_return_barrier(const VmLayout& layout, uintptr_t thread, const StackRange& stack, Frame& frame) {
    if (layout.thread_cont_entry < 0) return false;
    // Most threads run no continuation: one read, before the code cache is searched.
    uintptr_t entry = read_word(thread + static_cast<uint32_t>(layout.thread_cont_entry));
    if (entry == 0) return false;
    if (frame.pc == layout.call_stub_return || in_interpreter(layout, frame.pc)) return false;
    uintptr_t blob = find_blob(layout, frame.pc);
    if (blob == 0 || is_nmethod(layout, blob)) return false;
    // Innermost first, each at a higher address: the first at or above the frame's sp is its continuation's.
    for (int i = 0; i < kMaxContinuations && entry != 0; i++) {
        if (!stack.contains(entry)) return false;
        if (entry >= frame.sp) {
            uintptr_t return_pc = read_word(layout.cont_entry_return_pc_at);
            if (return_pc == 0) return false;
            frame = Frame{return_pc, entry, entry, entry + layout.cont_entry_size};
            return true;
        }
        entry = read_word(entry + layout.cont_entry_parent);
    }
    return false;
}

// One physical frame: its Java frames into `out`, then `frame` becomes its caller.
Step step(const VmLayout& layout, const StackRange& stack, Frame& frame, bool top, bool agct_rule, FrameWriter& out,
          JavaWalkStop& stop) {
    if (in_interpreter(layout, frame.pc)) {
        stop = JavaWalkStop::kInterpreterFrame;
        if (!stack.contains(frame.fp) || frame.fp < frame.sp) return Step::kBroken;
        add_interpreted_frame(layout, frame, out);
        // frame_x86: the caller's sp is just above the return address; its unextended sp (before this frame's
        // arguments were pushed) is saved in the frame.
        uintptr_t unextended = interpreter_slot(frame, layout.interpreter_sender_sp_slot);
        uintptr_t fp = frame.fp;
        // A c2i adapter that made room for the arguments moved sp below what the compiled caller had; fp[-1]
        // keeps the caller's own (higher) sp, from which its frame size counts.
        frame = Frame{read_word(fp + kWord), fp + 2 * kWord, unextended, read_word(fp)};
        if (!stack.contains(frame.unextended_sp) || frame.unextended_sp < frame.sp) frame.unextended_sp = frame.sp;
        return Step::kNext;
    }
    uintptr_t blob = find_blob(layout, frame.pc);
    stop = JavaWalkStop::kNotCode;
    if (blob == 0) return Step::kBroken;
    uintptr_t begin = code_begin(layout, blob);
    bool complete = frame.pc >= begin + static_cast<uintptr_t>(frame_complete_offset(layout, blob));
    if (is_nmethod(layout, blob)) {
        stop = JavaWalkStop::kNmethodScopes;
        uintptr_t pc = top ? frame.pc : original_pc(layout, blob, frame.pc, frame.unextended_sp);
        if (!add_compiled_frames(layout, blob, pc, top, agct_rule, out)) return Step::kBroken;
        stop = JavaWalkStop::kNmethodSender;
        if (complete && sized_frame_sender(layout, stack, frame, frame_size_words(layout, blob))) return Step::kNext;
        // Before the frame is complete (prologue) or in an epilogue that already gave it up.
        if (top && frameless_sender(layout, stack, frame)) return Step::kNext;
        if (top && complete && scanned_sender(layout, stack, frame, frame_size_words(layout, blob))) {
            return Step::kNext;
        }
        return Step::kBroken;
    }
    // Stubs and adapters: no Java frame of their own. A complete frame of known size (runtime stubs, the
    // safepoint and deoptimization blobs) is stepped over; otherwise only at the top (a leaf stub) is the
    // return address looked for.
    stop = JavaWalkStop::kStubSender;
    int size = frame_size_words(layout, blob);
    if (complete && size > 0 && sized_frame_sender(layout, stack, frame, size)) return Step::kNext;
    if (top && (frameless_sender(layout, stack, frame) || fp_framed_sender(layout, stack, frame))) return Step::kNext;
    return Step::kBroken;
}

}  // namespace

bool thread_in_java(const VmLayout& layout, uintptr_t thread) {
    int32_t state = read<int32_t>(thread + layout.thread_state);
    return state == layout.state_in_java || state == layout.state_in_java_trans;
}

JavaWalk walk_java_stack(const VmLayout& layout, uintptr_t thread, const JavaWalkStart& start, AgctFrame* frames,
                         int max) {
    JavaWalk result{0, kStatusNotWalkableJava, 0, JavaWalkStop::kNone, 0, 0, false};
    if (!layout.ready || !aligned(thread) || max <= 0) return result;
    uintptr_t stack_base = read_word(thread + layout.stack_base);
    uintptr_t stack_size = read_word(thread + layout.stack_size);
    if (stack_base == 0 || stack_size == 0 || stack_size > stack_base) return result;
    StackRange stack{stack_base - stack_size, stack_base};
    Frame frame{};
    bool top = true;
    // A complete anchor (sp and pc) is used even in the Java state, as AsyncGetCallTrace does: the thread set
    // it before calling out of Java, and it is more reliable than registers somewhere in a stub or the VM.
    bool anchored = read_word(thread + layout.anchor_sp) != 0 && read_word(thread + layout.anchor_pc) != 0;
    if (!anchored && thread_in_java(layout, thread)) {
        const FrameRegisters& registers = start.registers;
        if (!start.in_generated_code) {
            return JavaWalk{0, kStatusUnknownJava, 0, JavaWalkStop::kStartInLibrary, registers.pc, 0, false};
        }
        frame = Frame{registers.pc, registers.sp, registers.sp, registers.fp};
        if (!stack.contains(frame.sp))
            return JavaWalk{0, kStatusUnknownJava, 0, JavaWalkStop::kNotClimbing, 0, 0, false};
    } else {
        // In the VM, in native code or blocked: the thread left its last Java frame in the anchor.
        Step from =
            from_anchor(stack, thread + layout.anchor_sp, thread + layout.anchor_pc, thread + layout.anchor_fp, frame);
        if (from == Step::kOutermost) return JavaWalk{0, kStatusNoJavaFrame, 0, JavaWalkStop::kNone, 0, 0, true};
        if (from == Step::kBroken) return result;
        // The anchor is a call's return point, never an interrupted instruction.
        top = false;
    }
    result.start_pc = frame.pc;
    result.anchored = anchored || !thread_in_java(layout, thread);
    FrameWriter out(frames, max);
    int entries = 0;
    // Whether `frame` is the caller of a Java frame (one that wrote frames), not the start or a stub's caller: only
    // there can a return into a stub be the continuation's return barrier (an anchor's pc may be in a stub).
    bool after_java_frame = false;
    for (int steps = 0; steps < kMaxSteps; steps++) {
        if (out.full()) {
            result.truncated = kTruncated;
            break;
        }
        Step next;
        uintptr_t pc = frame.pc;
        bool was_top = top;
        JavaWalkStop stop = JavaWalkStop::kEntryFrame;
        if (after_java_frame && at_return_barrier(layout, thread, stack, frame)) {
            // Said in the stack rather than skipped: the frames between are the virtual thread's outer ones.
            out.add(nullptr, 0, kFrameFrozenContinuation);
            pc = frame.pc;
        }
        int written_before = out.count();
        after_java_frame = false;
        if (frame.pc == layout.call_stub_return) {
            next = ++entries > kMaxEntryFrames ? Step::kBroken : entry_frame_sender(layout, stack, frame);
        } else {
            uintptr_t sp_before = frame.sp;
            next = step(layout, stack, frame, top, start.agct_top_pc_rule, out, stop);
            after_java_frame = out.count() > written_before;
            // Callers live at higher addresses: a walk that does not climb is going round in circles.
            if (next == Step::kNext && frame.sp <= sp_before) {
                next = Step::kBroken;
                stop = JavaWalkStop::kNotClimbing;
            }
        }
        top = false;
        if (next == Step::kOutermost) break;
        if (next == Step::kBroken) {
            result.stop = stop;
            result.stop_pc = pc;
            if (out.count() == 0) {
                result.status = was_top ? kStatusUnknownJava : kStatusNotWalkableJava;
                return result;
            }
            result.truncated = kJavaWalkBroken;
            break;
        }
    }
    result.count = out.count();
    result.status = result.count > 0 ? kStatusOk : kStatusNoJavaFrame;
    return result;
}

}  // namespace hotframe
