"""event=alloc on two allocation sites with a known byte ratio (examples/Allocations: long[1536] against
byte[4096], 12,304 against 4,112 bytes, about 3:1): the bytes-weighted graph shows that ratio within 25% with the
right classes at the leaves, and the estimated bytes add up to what the example really allocated."""

import os
import re

from hotframe_test import (check, collapsed_header, html_leaf_stats, leaf_total, read_collapsed, read_html_data, run_java,
                           work_dir)

LONGS_BYTES = 12_304
BYTES_BYTES = 4_112
EXPECTED_RATIO = LONGS_BYTES / BYTES_BYTES

directory = work_dir("alloc")
output = os.path.join(directory, "alloc.collapsed")
run = run_java(f"start,event=alloc,total,file={output}", "hotframe.examples.Allocations", [4], cwd=directory)
check(run.returncode == 0, f"the JVM exited 0 ({run.stderr.strip()[-300:]})")
check("estimated bytes allocated" in collapsed_header(output), f"header: {collapsed_header(output)!r}")
stacks = read_collapsed(output)


longs = leaf_total(stacks, "Allocations.allocateLongs", "long[]")
byte_arrays = leaf_total(stacks, "Allocations.allocateBytes", "byte[]")
print(f"long[] under allocateLongs: {longs} bytes; byte[] under allocateBytes: {byte_arrays} bytes")
check(longs > 0 and byte_arrays > 0, "both sites appear with their classes at the leaves")
ratio = longs / byte_arrays
check(abs(ratio - EXPECTED_RATIO) <= 0.25 * EXPECTED_RATIO,
      f"bytes ratio {ratio:.2f}, expected {EXPECTED_RATIO:.2f} ±25%")
misplaced = sum(count for frames, count in stacks
                if ("allocateLongs" in ";".join(frames) and frames[-1] != "long[]")
                or ("allocateBytes" in ";".join(frames) and frames[-1] != "byte[]"))
check(misplaced <= 0.01 * (longs + byte_arrays), f"no other class under the sites ({misplaced} bytes)")

rounds = int(re.search(r"rounds (\d+)", run.stdout).group(1))
real = rounds * (LONGS_BYTES + BYTES_BYTES)
estimated = longs + byte_arrays
check(abs(estimated - real) <= 0.25 * real,
      f"estimated {estimated / 2**20:.0f} MiB for the two sites, really allocated {real / 2**20:.0f} MiB (±25%)")

# The HTML page carries both numbers: samples and estimated bytes, in bytes.
page = os.path.join(directory, "alloc.html")
run = run_java(f"start,alloc=64k,file={page}",
               "hotframe.examples.Allocations", [2], cwd=directory)
check(run.returncode == 0, "alloc=64k: the JVM exited 0")
data = read_html_data(page)
check(data["event"] == "alloc" and data["unit"] == "bytes", f"the page says alloc in bytes ({data['event']}, "
                                                             f"{data['unit']})")
check(data["widthBy"] == "samples", "without total, widths are samples")
leaves = html_leaf_stats(data)
check("long[]" in leaves and "byte[]" in leaves, f"the page has the classes as leaves ({sorted(leaves)[:8]})")
samples, weight = leaves["long[]"]
check(samples > 100 and weight > samples * 32 * 1024,
      f"each long[] sample stands for about the interval's 64 KiB ({samples} samples, {weight} bytes)")
