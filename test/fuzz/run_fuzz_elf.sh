#!/bin/sh
# The ctest run of fuzz_elf: a corpus made now, in a temporary directory that is removed afterwards, from the
# debug probe library's stripped copy and debug files (test/make_debug_layouts.sh), whole, truncated and with
# corrupted header fields; then SECONDS of random mutations of it.
# Usage: run_fuzz_elf.sh FUZZ_ELF LAYOUT_DIR SECONDS
set -eu
fuzz=$1 layouts=$2 seconds=$3
corpus=$(mktemp -d "${TMPDIR:-/tmp}/hotframe-fuzz-elf.XXXXXX")
trap 'rm -rf "$corpus"' EXIT INT TERM

cp "$layouts/probe.debug" "$corpus/probe.debug"
cp "$layouts/stripped.so" "$corpus/stripped.so"
cp "$layouts/linked.so" "$corpus/linked.so"
cp "$layouts/badcrc/probe.debug" "$corpus/badcrc.debug"

for source in probe.debug linked.so; do
    size=$(wc -c <"$corpus/$source")
    for length in 0 4 16 63 64 100 1000 $((size / 2)) $((size - 1)); do
        head -c "$length" "$corpus/$source" >"$corpus/$source.cut$length"
    done
    # Header fields with values that point outside the file: e_shoff, e_shentsize, e_shnum, e_shstrndx.
    corrupt() {
        cp "$corpus/$source" "$corpus/$source.$1"
        printf "$2" | dd of="$corpus/$source.$1" bs=1 seek="$3" conv=notrunc 2>/dev/null
    }
    corrupt shoff '\377\377\377\377\377\377\377\177' 40
    corrupt shentsize '\377\377' 58
    corrupt shnum '\377\377' 60
    corrupt shnum0 '\000\000' 60
    corrupt shstrndx '\376\377' 62
    corrupt class '\001' 4
done

# Leak checking needs ptrace, which containers often refuse; out-of-bounds reads are what this run is about.
ASAN_OPTIONS=detect_leaks=0 "$fuzz" "$corpus" --mutate "$seconds"
