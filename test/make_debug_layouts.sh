#!/bin/sh
# Lays out stripped copies of the debug probe library (test/unit/debug_probe_support.cpp) with its symbols moved
# into a separate debug file, once in each place native/symbols/debug_files.cpp looks, for debug_files_test.cpp:
#   buildid/      no debuglink; the debug file as root-buildid/.build-id/xx/rest.debug
#   beside/       debuglink; the debug file next to the library
#   subdir/       debuglink; the debug file in the library's .debug/ directory
#   global/       debuglink; the debug file under root-global followed by the library's directory
#   badcrc/       debuglink; next to it a file of that name whose CRC-32 differs (an extra section)
#   writable/     debuglink; the right debug file next to it, but writable by every user
# Usage: make_debug_layouts.sh LIBRARY OUT_DIR BUILD_ID_HEX OBJCOPY
set -eu
# Files only their owner can write: the reader refuses a debug file that others could have written (a umask of
# 002 would make these group-writable).
umask 022
library=$1 out=$2 build_id=$3 objcopy=$4
name=libhotframe_debug_probe.so
rm -rf "$out"
mkdir -p "$out"
cd "$out"
"$objcopy" --only-keep-debug "$library" probe.debug
"$objcopy" --strip-all "$library" stripped.so
"$objcopy" --add-gnu-debuglink=probe.debug stripped.so linked.so

head=$(printf %s "$build_id" | cut -c1-2)
rest=$(printf %s "$build_id" | cut -c3-)
mkdir -p buildid "root-buildid/.build-id/$head"
cp stripped.so buildid/$name
cp probe.debug "root-buildid/.build-id/$head/$rest.debug"

mkdir beside
cp linked.so beside/$name
cp probe.debug beside/

mkdir -p subdir/.debug
cp linked.so subdir/$name
cp probe.debug subdir/.debug/

mkdir -p global "root-global$out/global"
cp linked.so global/$name
cp probe.debug "root-global$out/global/"

mkdir badcrc
cp linked.so badcrc/$name
"$objcopy" --add-section .hotframe_extra=stripped.so probe.debug badcrc/probe.debug

mkdir root-empty
touch stamp

mkdir writable
cp linked.so writable/$name
cp probe.debug writable/
chmod o+w writable/probe.debug
