#include "native/analysis/gzip.h"

#include <zlib.h>

namespace hotframe {

namespace {

constexpr int kGzipWindowBits = 15 + 16;  // zlib's way of asking for a gzip header and trailer
constexpr size_t kChunk = 64 * 1024;

}  // namespace

bool looks_gzipped(std::string_view data) {
    return data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f &&
           static_cast<unsigned char>(data[1]) == 0x8b;
}

std::string gzip_compress(std::string_view data) {
    z_stream stream{};
    deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    std::string out;
    char buffer[kChunk];
    int result;
    do {
        stream.next_out = reinterpret_cast<Bytef*>(buffer);
        stream.avail_out = sizeof(buffer);
        result = deflate(&stream, Z_FINISH);
        out.append(buffer, sizeof(buffer) - stream.avail_out);
    } while (result == Z_OK);
    deflateEnd(&stream);
    return out;
}

Status gzip_decompress(std::string_view data, std::string* out, size_t max_bytes) {
    if (!looks_gzipped(data)) return Status::error("not gzip data");
    z_stream stream{};
    if (inflateInit2(&stream, kGzipWindowBits) != Z_OK) return Status::error("cannot start gzip decompression");
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    // avail_in is 32 bits; the caller's file is bounded by kMaxProfileBytes, far below that.
    stream.avail_in = static_cast<uInt>(data.size());
    char buffer[kChunk];
    int result;
    bool too_large = false;
    out->clear();
    do {
        stream.next_out = reinterpret_cast<Bytef*>(buffer);
        stream.avail_out = sizeof(buffer);
        result = inflate(&stream, Z_NO_FLUSH);
        if (result != Z_OK && result != Z_STREAM_END) break;
        size_t produced = sizeof(buffer) - stream.avail_out;
        // Checked before appending, so that a bomb costs at most max_bytes of memory, never what it claims.
        if (produced > max_bytes - out->size()) {
            too_large = true;
            break;
        }
        out->append(buffer, produced);
    } while (result != Z_STREAM_END && (stream.avail_in > 0 || stream.avail_out == 0));
    inflateEnd(&stream);
    if (too_large) {
        out->clear();
        out->shrink_to_fit();
        return Status::error("inflates to more than " + bytes_text(max_bytes) +
                             " (the limit on a decompressed profile)");
    }
    if (result != Z_STREAM_END) return Status::error("truncated or corrupt gzip data");
    return Status::ok();
}

}  // namespace hotframe
