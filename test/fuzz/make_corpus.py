#!/usr/bin/env python3
"""Writes the hostile profiles of issue 14 into a directory, with expected.txt naming, for each file, the
words hotframe-tool's one error line must contain (or "ok" for a file it must report).

Generated at test time rather than committed: the gzip bomb is 2 MB and only the script is worth keeping.

    make_corpus.py OUT_DIR
"""
import os
import sys
import zlib


def varint(value):
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def field_varint(number, value):
    return varint(number << 3) + varint(value)


def field_bytes(number, data):
    return varint((number << 3) | 2) + varint(len(data)) + data


def gzip(data):
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: a gzip header and trailer
    return compressor.compress(data) + compressor.flush()


def pprof(strings, functions, locations, samples):
    """functions: [(id, name index)]; locations: [(id, [function ids])]; samples: [([location ids], [values])].
    One sample type, strings[1]/strings[2]."""
    out = bytearray()
    out += field_bytes(1, field_varint(1, 1) + field_varint(2, 2))
    for locs, values in samples:
        packed_locs = b"".join(varint(loc) for loc in locs)
        packed_values = b"".join(varint(v & 0xFFFFFFFFFFFFFFFF) for v in values)
        out += field_bytes(2, field_bytes(1, packed_locs) + field_bytes(2, packed_values))
    for location_id, function_ids in locations:
        lines = b"".join(field_bytes(4, field_varint(1, f)) for f in function_ids)
        out += field_bytes(4, field_varint(1, location_id) + lines)
    for function_id, name in functions:
        out += field_bytes(5, field_varint(1, function_id) + field_varint(2, name))
    for text in strings:
        out += field_bytes(6, text)
    return bytes(out)


TYPES = [b"", b"cpu", b"nanoseconds"]


def gzip_bomb():
    """2 GiB of zeros in about 2 MB (deflate's best ratio is about 1000 to 1), made in a second: after a full
    flush deflate starts afresh, so every further MiB of zeros compresses to the same bytes, which are repeated
    instead of compressing 2 GiB. The trailer's CRC and size are those of the whole 2 GiB, as in a real bomb."""
    mib, count = bytes(1 << 20), 2048
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    first = compressor.compress(mib) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(mib) + compressor.flush(zlib.Z_FULL_FLUSH)
    last_block = compressor.flush(zlib.Z_FINISH)[:-8]  # the final empty block, without zlib's own trailer
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(mib, crc)
    trailer = crc.to_bytes(4, "little") + ((count << 20) & 0xFFFFFFFF).to_bytes(4, "little")
    return first + repeated * (count - 1) + last_block + trailer


def one_location(function_count, name, refs_per_sample, sample_count):
    """One location of `function_count` inlined functions named `name`, referenced `refs_per_sample` times by
    each of `sample_count` samples: quadratic in a few hundred bytes."""
    return gzip(pprof(TYPES + [name], [(1, 3)], [(1, [1] * function_count)],
                      [([1] * refs_per_sample, [1])] * sample_count))


def files():
    yield "gzip_bomb.pb.gz", gzip_bomb(), "the limit on a decompressed profile"
    yield "quadratic.pb.gz", one_location(20000, b"f", 20000, 1), "the limit on frames per stack"
    yield "many_frames.pb.gz", one_location(20000, b"f", 3, 1000), "the limit on frames per profile"
    yield "long_name.pb.gz", one_location(1, b"n" * (1 << 20), 5000, 1), "the limit on name length"
    yield "long_stack_text.pb.gz", one_location(1, b"n" * 60000, 5000, 1), "the limit on stack text per profile"
    yield "deep.collapsed", (";".join(["f"] * 70000) + " 1\n").encode(), "the limit on frames per stack"
    yield "overflow_sum.collapsed", b"a;b 9999999999999999999\na;c 9999999999999999999\n", "would overflow"
    yield "wrap_to_zero.collapsed", b"a;b 9223372036854775808\na;c 9223372036854775808\n", "would overflow"
    yield "overflow_count.collapsed", b"a;b 99999999999999999999\n", "the count is more than"
    max_int64 = (1 << 63) - 1
    yield "overflow_values.pb", pprof(TYPES + [b"f"], [(1, 3)], [(1, [1])], [([1], [max_int64])] * 3), \
        "would overflow"
    yield "long_varint.pb", pprof(TYPES + [b"f"], [(1, 3)], [(1, [1])], [([1], [1])]) + \
        b"\x48" + b"\xff" * 9 + b"\x7f", "malformed protobuf"
    yield "control_chars.collapsed", b"main;\x1b[2Jclear\x07bell;tab\there\x7fdel 5\nmain;other 1\n", "ok"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_corpus.py OUT_DIR")
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    manifest = []
    for name, data, expected in files():
        with open(os.path.join(out_dir, name), "wb") as out:
            out.write(data)
        manifest.append(f"{name}\t{expected}\n")
    with open(os.path.join(out_dir, "expected.txt"), "w") as out:
        out.writelines(manifest)


if __name__ == "__main__":
    main()
