#include "native/analysis/protobuf_wire.h"

namespace hotframe {

void ProtoWriter::append_varint(std::string& out, uint64_t value) {
    while (value >= 0x80) {
        out.push_back(static_cast<char>((value & 0x7f) | 0x80));
        value >>= 7;
    }
    out.push_back(static_cast<char>(value));
}

void ProtoWriter::varint_field(uint32_t field, uint64_t value) {
    append_varint(bytes_, static_cast<uint64_t>(field) << 3);
    append_varint(bytes_, value);
}

void ProtoWriter::bytes_field(uint32_t field, std::string_view bytes) {
    append_varint(bytes_, (static_cast<uint64_t>(field) << 3) | 2);
    append_varint(bytes_, bytes.size());
    bytes_.append(bytes);
}

bool ProtoReader::read_varint(std::string_view bytes, size_t& at, uint64_t* value) {
    uint64_t result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (at >= bytes.size()) return false;
        auto byte = static_cast<uint8_t>(bytes[at++]);
        if (shift == 63 && byte > 1) return false;  // bits beyond the 64th
        result |= static_cast<uint64_t>(byte & 0x7f) << shift;
        if ((byte & 0x80) == 0) {
            *value = result;
            return true;
        }
    }
    return false;
}

size_t ProtoReader::repeated_count() const {
    if (is_varint()) return 1;
    if (!is_bytes()) return 0;
    // Each varint ends with the one byte whose high bit is clear; a dangling tail counts as one more.
    size_t count = 0;
    for (char byte : field_bytes_) count += (static_cast<uint8_t>(byte) & 0x80) == 0 ? 1 : 0;
    if (!field_bytes_.empty() && (static_cast<uint8_t>(field_bytes_.back()) & 0x80) != 0) count++;
    return count;
}

bool ProtoReader::next() {
    if (failed_ || at_ >= bytes_.size()) return false;
    uint64_t key = 0;
    if (!read_varint(bytes_, at_, &key)) {
        failed_ = true;
        return false;
    }
    field_ = static_cast<uint32_t>(key >> 3);
    wire_type_ = static_cast<uint32_t>(key & 7);
    switch (wire_type_) {
        case 0:
            if (!read_varint(bytes_, at_, &varint_)) failed_ = true;
            break;
        case 1:  // 64-bit: not used by profile.proto, skipped
            if (bytes_.size() - at_ < 8) failed_ = true;
            at_ += 8;
            break;
        case 2: {
            uint64_t length = 0;
            if (!read_varint(bytes_, at_, &length) || length > bytes_.size() - at_) {
                failed_ = true;
                break;
            }
            field_bytes_ = bytes_.substr(at_, static_cast<size_t>(length));
            at_ += static_cast<size_t>(length);
            break;
        }
        case 5:  // 32-bit: skipped
            if (bytes_.size() - at_ < 4) failed_ = true;
            at_ += 4;
            break;
        default:
            failed_ = true;
    }
    return !failed_;
}

}  // namespace hotframe
