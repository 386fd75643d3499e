#include "native/symbols/eh_frame.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "native/seeded_hash.h"

namespace hotframe {

namespace {

// DWARF register numbers on x86-64.
constexpr uint64_t kDwarfRbp = 6;
constexpr uint64_t kDwarfRsp = 7;
constexpr uint64_t kDwarfReturnAddress = 16;

// Pointer encodings (DW_EH_PE_*): the low nibble is the format, the high one what it is relative to.
constexpr uint8_t kEncodingOmit = 0xff;
constexpr uint8_t kEncodingPcRelative = 0x10;
constexpr uint8_t kEncodingDataRelative = 0x30;
constexpr uint8_t kEncodingIndirect = 0x80;
constexpr uint8_t kSearchTableEncoding = kEncodingDataRelative | 0x0b;  // datarel sdata4, what ld writes

// Reads little-endian values and LEB128 numbers, stopping (ok() false) rather than reading past `end`.
class ByteReader {
public:
    ByteReader(const uint8_t* at, const uint8_t* end) : at_(at), end_(end) {}

    bool ok() const { return ok_; }
    bool done() const { return !ok_ || at_ >= end_; }
    const uint8_t* position() const { return at_; }
    const uint8_t* end() const { return end_; }

    template <typename T>
    T fixed() {
        T value{};
        if (!take(sizeof(T))) return value;
        std::memcpy(&value, at_ - sizeof(T), sizeof(T));
        return value;
    }
    uint8_t u8() { return fixed<uint8_t>(); }

    // A 64-bit number takes at most ten LEB128 bytes; a longer one is malformed and stops the reader (read on,
    // a record's worth of continuation bytes would also overflow the shift).
    static constexpr int kMaxLebBytes = 10;

    uint64_t uleb() {
        uint64_t value = 0;
        for (int shift = 0; ok_; shift += 7) {
            if (shift >= 7 * kMaxLebBytes) return fail();
            uint8_t byte = u8();
            if (shift < 64) value |= static_cast<uint64_t>(byte & 0x7f) << shift;
            if ((byte & 0x80) == 0) break;
        }
        return value;
    }

    int64_t sleb() {
        int64_t value = 0;
        int shift = 0;
        uint8_t byte = 0;
        do {
            if (shift >= 7 * kMaxLebBytes) return static_cast<int64_t>(fail());
            byte = u8();
            if (shift < 64) value |= static_cast<int64_t>(static_cast<uint64_t>(byte & 0x7f) << shift);
            shift += 7;
        } while (ok_ && (byte & 0x80) != 0);
        if (shift < 64 && (byte & 0x40) != 0) value |= -(static_cast<int64_t>(1) << shift);
        return value;
    }

    uint64_t fail() {
        ok_ = false;
        return 0;
    }

    // A pointer in `encoding`; `data_base` is what datarel values are relative to (the .eh_frame_hdr).
    uint64_t encoded(uint8_t encoding, uintptr_t data_base) {
        auto field = reinterpret_cast<uintptr_t>(at_);
        uint64_t value = 0;
        switch (encoding & 0x0f) {
            case 0x00:
                value = fixed<uint64_t>();
                break;
            case 0x01:
                value = uleb();
                break;
            case 0x02:
                value = fixed<uint16_t>();
                break;
            case 0x03:
                value = fixed<uint32_t>();
                break;
            case 0x04:
                value = fixed<uint64_t>();
                break;
            case 0x09:
                value = static_cast<uint64_t>(sleb());
                break;
            case 0x0a:
                value = static_cast<uint64_t>(static_cast<int64_t>(fixed<int16_t>()));
                break;
            case 0x0b:
                value = static_cast<uint64_t>(static_cast<int64_t>(fixed<int32_t>()));
                break;
            case 0x0c:
                value = fixed<uint64_t>();
                break;
            default:
                ok_ = false;
                return 0;
        }
        switch (encoding & 0x70) {
            case 0x00:
                break;
            case kEncodingPcRelative:
                value += field;
                break;
            case kEncodingDataRelative:
                value += data_base;
                break;
            default:
                ok_ = false;
                return 0;  // textrel, funcrel, aligned: not used by x86-64 toolchains
        }
        return value;
    }

    void skip(uint64_t count) { take(count); }

private:
    bool take(uint64_t count) {
        if (!ok_ || count > static_cast<uint64_t>(end_ - at_)) {
            ok_ = false;
            return false;
        }
        at_ += count;
        return true;
    }

    const uint8_t* at_;
    const uint8_t* end_;
    bool ok_ = true;
};

// The end of the readable memory at `at`, at most `wanted`; nullptr when `at` is not in a mapped range.
class Readable {
public:
    explicit Readable(const std::vector<MappedRange>& mapped) : mapped_(mapped) {}

    ByteReader reader(const uint8_t* at, const uint8_t* wanted_end) const {
        auto address = reinterpret_cast<uintptr_t>(at);
        for (const MappedRange& range : mapped_) {
            if (address >= range.low && address < range.high) {
                auto end = reinterpret_cast<const uint8_t*>(range.high);
                return ByteReader(at, wanted_end < end && wanted_end >= at ? wanted_end : end);
            }
        }
        return ByteReader(at, at);  // reads nothing: ok() turns false on the first read
    }

private:
    const std::vector<MappedRange>& mapped_;
};

struct Cie {
    bool valid = false;
    uint64_t code_alignment = 1;
    int64_t data_alignment = -8;
    uint8_t fde_encoding = 0;  // absolute pointers unless 'R' says otherwise
    bool has_augmentation_data = false;
    const uint8_t* instructions = nullptr;
    const uint8_t* end = nullptr;
};

// A record's length and where its body (after the length) ends; nullptr for a terminator or a bad length.
const uint8_t* record_end(ByteReader& reader) {
    uint64_t length = reader.fixed<uint32_t>();
    if (length == 0xffffffffu) length = reader.fixed<uint64_t>();
    if (!reader.ok() || length == 0 || length > (1u << 30)) return nullptr;
    return reader.position() + length;
}

Cie parse_cie(const Readable& readable, const uint8_t* at, uintptr_t data_base) {
    Cie cie;
    ByteReader reader = readable.reader(at, at + 12);
    const uint8_t* end = record_end(reader);
    if (end == nullptr) return cie;
    reader = readable.reader(reader.position(), end);
    if (reader.end() != end) return cie;            // the record would run past mapped memory
    if (reader.fixed<uint32_t>() != 0) return cie;  // not a CIE
    uint8_t version = reader.u8();
    const char* augmentation = reinterpret_cast<const char*>(reader.position());
    size_t augmentation_length = strnlen(augmentation, static_cast<size_t>(end - reader.position()));
    reader.skip(augmentation_length + 1);
    cie.code_alignment = reader.uleb();
    cie.data_alignment = reader.sleb();
    if (version == 1) {
        reader.u8();
    } else {
        reader.uleb();
    }
    if (augmentation_length > 0 && augmentation[0] == 'z') {
        cie.has_augmentation_data = true;
        uint64_t data_length = reader.uleb();
        if (data_length > static_cast<uint64_t>(end - reader.position())) return cie;
        const uint8_t* data_end = reader.position() + data_length;
        for (size_t i = 1; i < augmentation_length && reader.ok(); i++) {
            char letter = augmentation[i];
            if (letter == 'R') {
                cie.fde_encoding = reader.u8();
            } else if (letter == 'P') {
                uint8_t encoding = reader.u8();
                reader.encoded(encoding & ~kEncodingIndirect, data_base);
            } else if (letter == 'L') {
                reader.u8();
            } else if (letter != 'S' && letter != 'B') {
                break;  // unknown letters: the length above still says where the instructions start
            }
        }
        if (!reader.ok()) return cie;
        reader = ByteReader(data_end, end);
    } else if (augmentation_length > 0 && std::strcmp(augmentation, "eh") != 0) {
        return cie;  // an augmentation we cannot skip
    }
    cie.instructions = reader.position();
    cie.end = end;
    cie.valid = reader.ok();
    return cie;
}

struct FrameState {
    uint64_t cfa_register = kDwarfRsp;
    int64_t cfa_offset = 8;
    bool cfa_modelled = true;  // false after a DWARF expression for the CFA, or numbers out of range
    bool fp_modelled = true;   // false while rbp's rule is one we do not model (another register, an expression)
    bool fp_saved = false;
    int64_t fp_offset = 0;
    bool return_address_undefined = false;
};

UnwindRow to_row(uint32_t offset, const FrameState& state) {
    UnwindRow row{offset, 0, kFpUnchanged, kCfaUnknown};
    if (state.return_address_undefined) {
        row.cfa_register = kCfaOutermost;
        return row;
    }
    bool fp_fits = !state.fp_saved || (state.fp_offset > INT16_MIN && state.fp_offset <= INT16_MAX);
    bool offset_fits = state.cfa_offset >= INT32_MIN && state.cfa_offset <= INT32_MAX;
    if (!state.cfa_modelled || !state.fp_modelled || !fp_fits || !offset_fits) return row;
    if (state.cfa_register == kDwarfRsp) {
        row.cfa_register = kCfaSp;
    } else if (state.cfa_register == kDwarfRbp) {
        row.cfa_register = kCfaFp;
    } else {
        return row;
    }
    row.cfa_offset = static_cast<int32_t>(state.cfa_offset);
    row.fp_offset = state.fp_saved ? static_cast<int16_t>(state.fp_offset) : kFpUnchanged;
    return row;
}

bool same_rule(const UnwindRow& a, const UnwindRow& b) {
    return a.cfa_register == b.cfa_register && a.cfa_offset == b.cfa_offset && a.fp_offset == b.fp_offset;
}

// Runs one FDE's call-frame program (after its CIE's initial one) and appends a row wherever the rule changes.
class FrameProgram {
public:
    FrameProgram(const Cie& cie, uintptr_t low, uintptr_t data_base, std::vector<UnwindRow>& rows)
        : cie_(cie), low_(low), data_base_(data_base), rows_(rows) {}

    void run(uintptr_t begin, uintptr_t end, const uint8_t* instructions, const uint8_t* instructions_end) {
        location_ = begin;
        begin_ = begin;
        end_ = end;
        state_ = FrameState{};
        depth_ = 0;
        first_row_ = rows_.size();
        execute(cie_.instructions, cie_.end);
        initial_ = state_;
        if (!execute(instructions, instructions_end)) {
            // An instruction we cannot decode, or a program cut short: what follows is unknown, not the state
            // at the failure.
            state_.cfa_modelled = false;
        }
        emit();
        // Past the function's end no rule of ours applies (padding, or code without an FDE).
        rows_.push_back(UnwindRow{static_cast<uint32_t>(end - low_), 0, kFpUnchanged, kCfaUnknown});
    }

private:
    void emit() {
        if (location_ < begin_ || location_ >= end_) return;  // a set_loc or advance outside the function
        UnwindRow row = to_row(static_cast<uint32_t>(location_ - low_), state_);
        if (rows_.size() > first_row_ && same_rule(rows_.back(), row)) return;
        if (rows_.size() > first_row_ && rows_.back().offset == row.offset) {
            rows_.back() = row;
        } else {
            rows_.push_back(row);
        }
    }

    void advance(uint64_t delta) {
        emit();
        uint64_t distance = 0;
        if (__builtin_mul_overflow(delta, cie_.code_alignment, &distance) || distance > end_ - location_) {
            location_ = end_;  // past the function: nothing more to emit
            return;
        }
        location_ += distance;
    }

    void set_register_rule(uint64_t reg, bool saved, int64_t offset) {
        if (reg == kDwarfRbp) {
            state_.fp_saved = saved;
            state_.fp_offset = offset;
            state_.fp_modelled = true;
        }
    }

    // A factored offset; a product that overflows (only in a damaged section) leaves the rule unmodelled.
    int64_t scaled(int64_t value) {
        int64_t product = 0;
        if (__builtin_mul_overflow(value, cie_.data_alignment, &product) || product == INT64_MIN) {
            state_.cfa_modelled = false;
            return 0;
        }
        return product;
    }

    // Returns false on an instruction it cannot decode; the rows so far stand.
    bool execute(const uint8_t* at, const uint8_t* end) {
        ByteReader reader(at, end);
        while (!reader.done()) {
            uint8_t opcode = reader.u8();
            uint8_t operand = opcode & 0x3f;
            switch (opcode & 0xc0) {
                case 0x40:
                    advance(operand);
                    continue;
                case 0x80:
                    set_register_rule(operand, true, scaled(static_cast<int64_t>(reader.uleb())));
                    continue;
                case 0xc0:
                    restore(operand);
                    continue;
                default:
                    break;
            }
            switch (opcode) {
                case 0x00:
                    break;  // nop
                case 0x01:
                    emit();
                    location_ = reader.encoded(cie_.fde_encoding, data_base_);
                    break;
                case 0x02:
                    advance(reader.u8());
                    break;
                case 0x03:
                    advance(reader.fixed<uint16_t>());
                    break;
                case 0x04:
                    advance(reader.fixed<uint32_t>());
                    break;
                case 0x05: {
                    uint64_t reg = reader.uleb();
                    set_register_rule(reg, true, scaled(static_cast<int64_t>(reader.uleb())));
                    break;
                }
                case 0x06:
                    restore(reader.uleb());
                    break;
                case 0x07: {
                    uint64_t reg = reader.uleb();
                    if (reg == kDwarfReturnAddress) state_.return_address_undefined = true;
                    set_register_rule(reg, false, 0);
                    break;
                }
                case 0x08:
                    set_register_rule(reader.uleb(), false, 0);
                    break;    // same value
                case 0x09: {  // in another register
                    uint64_t reg = reader.uleb();
                    reader.uleb();
                    if (reg == kDwarfRbp) state_.fp_modelled = false;
                    break;
                }
                case 0x0a:
                    if (depth_ == kMaxRemembered) return false;
                    remembered_[depth_++] = state_;
                    break;
                case 0x0b:
                    if (depth_ == 0) return false;
                    state_ = remembered_[--depth_];
                    break;
                case 0x0c:
                    state_.cfa_register = reader.uleb();
                    state_.cfa_offset = static_cast<int64_t>(reader.uleb());
                    state_.cfa_modelled = true;
                    break;
                case 0x0d:
                    state_.cfa_register = reader.uleb();
                    break;
                case 0x0e:
                    state_.cfa_offset = static_cast<int64_t>(reader.uleb());
                    break;
                case 0x0f:  // CFA from a DWARF expression
                    reader.skip(reader.uleb());
                    state_.cfa_modelled = false;
                    break;
                case 0x10: {  // a register from a DWARF expression
                    uint64_t reg = reader.uleb();
                    reader.skip(reader.uleb());
                    if (reg == kDwarfRbp) state_.fp_modelled = false;
                    break;
                }
                case 0x11: {
                    uint64_t reg = reader.uleb();
                    set_register_rule(reg, true, scaled(reader.sleb()));
                    break;
                }
                case 0x12:
                    state_.cfa_register = reader.uleb();
                    state_.cfa_offset = scaled(reader.sleb());
                    state_.cfa_modelled = true;
                    break;
                case 0x13:
                    state_.cfa_offset = scaled(reader.sleb());
                    break;
                case 0x14:
                case 0x15: {  // value rules: the register's value is CFA + offset, not saved in memory
                    uint64_t reg = reader.uleb();
                    if (opcode == 0x14) {
                        reader.uleb();
                    } else {
                        reader.sleb();
                    }
                    if (reg == kDwarfRbp) state_.fp_modelled = false;
                    break;
                }
                case 0x16: {
                    uint64_t reg = reader.uleb();
                    reader.skip(reader.uleb());
                    if (reg == kDwarfRbp) state_.fp_modelled = false;
                    break;
                }
                case 0x2e:
                    reader.uleb();
                    break;    // GNU_args_size
                case 0x2f: {  // GNU_negative_offset_extended
                    uint64_t reg = reader.uleb();
                    set_register_rule(reg, true, -scaled(static_cast<int64_t>(reader.uleb())));
                    break;
                }
                default:
                    return false;
            }
        }
        return reader.ok();
    }

    void restore(uint64_t reg) {
        if (reg == kDwarfRbp) {
            state_.fp_saved = initial_.fp_saved;
            state_.fp_offset = initial_.fp_offset;
            state_.fp_modelled = initial_.fp_modelled;
        } else if (reg == kDwarfReturnAddress) {
            state_.return_address_undefined = initial_.return_address_undefined;
        }
    }

    static constexpr int kMaxRemembered = 8;

    const Cie& cie_;
    uintptr_t low_;
    uintptr_t data_base_;
    std::vector<UnwindRow>& rows_;
    uintptr_t location_ = 0;
    uintptr_t begin_ = 0;
    uintptr_t end_ = 0;
    size_t first_row_ = 0;
    FrameState state_;
    FrameState initial_;
    FrameState remembered_[kMaxRemembered];
    int depth_ = 0;
};

// How much one table may make read_unwind_rows do (see there), for a table of `fde_count` FDEs.
class UnwindReadLimits {
public:
    explicit UnwindReadLimits(uint64_t fde_count)
        : program_budget_(std::min<uint64_t>(256 * fde_count + (uint64_t{1} << 20), uint64_t{256} << 20)),
          max_rows_(std::min<uint64_t>(64 * fde_count + 4096, uint64_t{1} << 24)) {}

    // Whether one more FDE, whose programs (its CIE's and its own) are `program_bytes` long, may run with
    // `rows` made so far; if so, its bytes are spent. A program adds at most a row per byte, and its end row.
    bool admit(uint64_t program_bytes, uint64_t rows) {
        if (program_bytes > program_budget_ || rows + program_bytes + 2 > max_rows_) return false;
        program_budget_ -= program_bytes;
        return true;
    }

private:
    uint64_t program_budget_;
    uint64_t max_rows_;
};

// CIEs by their address, which a table chooses: seeded (seeded_hash.h), so that no table can put them all in
// one bucket.
struct AddressHash {
    size_t operator()(const uint8_t* address) const {
        return static_cast<size_t>(seeded_mix(reinterpret_cast<uintptr_t>(address)));
    }
};

}  // namespace

std::vector<UnwindRow> read_unwind_rows(const uint8_t* eh_frame_hdr, uintptr_t low, uintptr_t high,
                                        const std::vector<MappedRange>& mapped, bool* within_limits) {
    if (within_limits != nullptr) *within_limits = true;
    std::vector<UnwindRow> rows;
    if (eh_frame_hdr == nullptr || high <= low || high - low > UINT32_MAX) return rows;
    Readable readable(mapped);
    auto data_base = reinterpret_cast<uintptr_t>(eh_frame_hdr);
    // version, eh_frame_ptr encoding, fde_count encoding, table encoding, then the pointer and the count.
    ByteReader header = readable.reader(eh_frame_hdr, eh_frame_hdr + 4 + 8 + 8);
    uint8_t version = header.u8();
    uint8_t frame_pointer_encoding = header.u8();
    uint8_t count_encoding = header.u8();
    uint8_t table_encoding = header.u8();
    if (version != 1 || frame_pointer_encoding == kEncodingOmit || count_encoding == kEncodingOmit ||
        table_encoding != kSearchTableEncoding) {
        return rows;
    }
    header.encoded(frame_pointer_encoding, data_base);
    uint64_t fde_count = header.encoded(count_encoding, data_base);
    if (!header.ok() || fde_count > (1u << 24)) return rows;
    ByteReader table = readable.reader(header.position(), header.position() + fde_count * 8);
    // Each read step is bounded, but nothing in the format stops a table from listing one FDE many times, many
    // FDEs from sharing a CIE with a long initial program, or a program from setting its location back and forth
    // (a row each time): the work and the rows could grow with the square of the section. Real tables run 30-45
    // bytes of program and up to about 10 rows per FDE (libjvm: 43,666 FDEs, 1.5 MB of .eh_frame; libLLVM-15:
    // 98,256 FDEs, 986,000 rows); a table past these limits, several times that, is read up to them (the
    // functions after have no rows and unwind by frame pointers; the log names the library).
    UnwindReadLimits limits(fde_count);
    std::unordered_map<const uint8_t*, Cie, AddressHash> cies;
    for (uint64_t i = 0; i < fde_count; i++) {
        table.fixed<int32_t>();  // the function's start; the FDE says it again
        const uint8_t* fde = eh_frame_hdr + table.fixed<int32_t>();
        if (!table.ok()) break;
        ByteReader reader = readable.reader(fde, fde + 12);
        const uint8_t* end = record_end(reader);
        if (end == nullptr) continue;
        const uint8_t* id_at = reader.position();
        reader = readable.reader(id_at, end);
        if (reader.end() != end) continue;  // the record would run past mapped memory
        uint32_t cie_distance = reader.fixed<uint32_t>();
        if (cie_distance == 0) continue;  // a CIE where an FDE should be
        const uint8_t* cie_at = id_at - cie_distance;
        auto known = cies.find(cie_at);
        if (known == cies.end()) known = cies.emplace(cie_at, parse_cie(readable, cie_at, data_base)).first;
        const Cie& cie = known->second;
        if (!cie.valid) continue;
        uint64_t begin = reader.encoded(cie.fde_encoding, data_base);
        uint64_t length = reader.encoded(cie.fde_encoding & 0x0f, data_base);
        if (cie.has_augmentation_data) reader.skip(reader.uleb());
        if (!reader.ok() || begin < low || begin >= high || length == 0 || length > high - begin) continue;
        auto program_bytes = static_cast<uint64_t>((cie.end - cie.instructions) + (end - reader.position()));
        if (!limits.admit(program_bytes, rows.size())) {
            if (within_limits != nullptr) *within_limits = false;
            break;
        }
        FrameProgram(cie, low, data_base, rows).run(begin, begin + length, reader.position(), end);
    }
    // FDEs come in address order from the search table, but an end row may meet the next function's first row
    // at the same offset: the function's own row wins, which a stable sort followed by keeping the last of
    // each offset gives when end rows come first - they do, since they are pushed before the next FDE's rows.
    std::stable_sort(rows.begin(), rows.end(),
                     [](const UnwindRow& a, const UnwindRow& b) { return a.offset < b.offset; });
    std::vector<UnwindRow> merged;
    merged.reserve(rows.size());
    for (const UnwindRow& row : rows) {
        if (!merged.empty() && merged.back().offset == row.offset) {
            merged.back() = row;
        } else if (merged.empty() || !same_rule(merged.back(), row)) {
            merged.push_back(row);
        }
    }
    return merged;
}

std::vector<uint32_t> unwind_page_index(const UnwindRow* rows, uint32_t count) {
    std::vector<uint32_t> first_row;
    if (count == 0) return first_row;
    uint32_t pages = (rows[count - 1].offset >> kUnwindPageShift) + 1;
    first_row.resize(pages);
    uint32_t row = 0;
    for (uint32_t page = 0; page < pages; page++) {
        uint64_t page_start = static_cast<uint64_t>(page) << kUnwindPageShift;
        while (row < count && rows[row].offset < page_start) row++;
        first_row[page] = row;
    }
    return first_row;
}

const UnwindTable* build_unwind_table(const uint8_t* eh_frame_hdr, uintptr_t low, uintptr_t high,
                                      const std::vector<MappedRange>& mapped, bool* within_limits) {
    std::vector<UnwindRow> rows = read_unwind_rows(eh_frame_hdr, low, high, mapped, within_limits);
    if (rows.empty()) return nullptr;
    auto* copy = new UnwindRow[rows.size()];
    std::copy(rows.begin(), rows.end(), copy);
    auto count = static_cast<uint32_t>(rows.size());
    std::vector<uint32_t> pages = unwind_page_index(copy, count);
    auto* page_first_row = new uint32_t[pages.size()];
    std::copy(pages.begin(), pages.end(), page_first_row);
    return new UnwindTable{low, count, copy, page_first_row, static_cast<uint32_t>(pages.size())};
}

}  // namespace hotframe
