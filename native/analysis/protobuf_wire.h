// The protocol-buffer wire format, the little of it that profile.proto needs: varints, packed varints and
// length-delimited fields, written into and read from byte strings. No generated code and no library.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hotframe {

class ProtoWriter {
public:
    void varint_field(uint32_t field, uint64_t value);
    void bytes_field(uint32_t field, std::string_view bytes);
    // A nested message, already encoded.
    void message_field(uint32_t field, const ProtoWriter& message) { bytes_field(field, message.bytes()); }
    // Several varints in one field (the "packed" encoding of repeated scalars).
    template <typename Numbers>
    void packed_field(uint32_t field, const Numbers& numbers) {
        std::string packed;
        for (auto number : numbers) append_varint(packed, static_cast<uint64_t>(number));
        bytes_field(field, packed);
    }

    const std::string& bytes() const { return bytes_; }

    static void append_varint(std::string& out, uint64_t value);

private:
    std::string bytes_;
};

// Reads one message's fields in order. Malformed input (a varint or length running past the end, an unknown
// wire type) sets failed() and ends the reading; nothing reads past the buffer.
class ProtoReader {
public:
    explicit ProtoReader(std::string_view bytes) : bytes_(bytes) {}

    // Moves to the next field; false at the end or on malformed input.
    bool next();
    uint32_t field() const { return field_; }
    bool is_varint() const { return wire_type_ == 0; }
    bool is_bytes() const { return wire_type_ == 2; }
    uint64_t varint() const { return varint_; }
    std::string_view bytes() const { return field_bytes_; }
    bool failed() const { return failed_; }

    // The varints of a packed field (or of a single varint field), appended to `out`; false if malformed.
    template <typename Vector>
    bool read_repeated(Vector& out) const {
        if (is_varint()) {
            out.push_back(static_cast<typename Vector::value_type>(varint_));
            return true;
        }
        if (!is_bytes()) return false;  // a fixed-width field: field_bytes_ would still be the previous field's
        std::string_view packed = field_bytes_;
        size_t at = 0;
        while (at < packed.size()) {
            uint64_t value = 0;
            if (!read_varint(packed, at, &value)) return false;
            out.push_back(static_cast<typename Vector::value_type>(value));
        }
        return true;
    }

    // How many varints read_repeated would append, counted without storing them: a packed field of n bytes
    // holds up to n numbers, eight bytes each once decoded, so a reader checks its limits first.
    size_t repeated_count() const;

    // False on a varint that runs past the end or does not fit in 64 bits (more than ten bytes, or a tenth
    // byte above 1): dropping high bits would turn a hostile value into a plausible one.
    static bool read_varint(std::string_view bytes, size_t& at, uint64_t* value);

private:
    std::string_view bytes_;
    size_t at_ = 0;
    uint32_t field_ = 0;
    uint32_t wire_type_ = 0;
    uint64_t varint_ = 0;
    std::string_view field_bytes_;
    bool failed_ = false;
};

}  // namespace hotframe
