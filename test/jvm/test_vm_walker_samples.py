"""Allocation and lock samples take their stacks with the vm walker (from the thread's anchor, in the JVMTI
callback or the park wrapper) when the session runs it, and with JVMTI GetStackTrace otherwise:
- cstack=vm,vmcheck on examples/Allocations (alloc=64k), the regex example (alloc=64k: allocations in the
  JDK's helpers) and examples/Locks (lock): nearly all stacks come from
  the walker, and where both walks ran, the walker's frames (methods and bcis) are GetStackTrace's in >= 99% of
  the samples; the frame under the leaf class is the allocating method (allocateLongs for long[]), as with
  GetStackTrace;
- cstack=dwarf: every stack comes from GetStackTrace, and the profile has the same shape."""

import os
import re

from hotframe_test import check, read_collapsed, run_java, work_dir

directory = work_dir("vm_walker_samples")
COUNTS = re.compile(r"allocation and lock samples: (\d+) stacks by the vm walker, (\d+) by JVMTI GetStackTrace "
                    r"\((\d+) where the walker could not walk\)")
CHECKED = re.compile(r"vmcheck: allocation and lock samples walked both ways: (\d+); same methods (\d+) \([\d.]+%\), "
                     r"same methods and bcis (\d+)")


def run(name, options, main_class, args):
    output = os.path.join(directory, f"{name}.collapsed")
    result = run_java(f"start,{options},file={output},loglevel=info", main_class, args, cwd=directory)
    print(f"--- {name}: exit {result.returncode}\n" +
          "\n".join(line for line in result.stderr.splitlines() if "vmcheck" in line or "samples" in line))
    check(result.returncode == 0, f"{name}: the JVM exited 0 ({result.stderr.strip()[-300:]})")
    counts = COUNTS.search(result.stderr)
    check(counts is not None, f"{name}: the log says how the stacks were taken")
    return result, read_collapsed(output), [int(value) for value in counts.groups()]


def allocating_method_on_top(name, stacks):
    """long[] is allocated by allocateLongs itself: that frame sits right under the leaf."""
    longs = [(frames, count) for frames, count in stacks if frames[-1] == "long[]"]
    whole = sum(count for _, count in longs)
    on_top = sum(count for frames, count in longs if len(frames) > 1 and "Allocations.allocateLongs" in frames[-2])
    check(whole > 0 and on_top >= 0.99 * whole,
          f"{name}: allocateLongs is the top frame of {on_top / max(whole, 1):.2%} of the long[] samples (>= 99%)")


for name, options, main_class, args in (
        ("alloc", "alloc=64k", "hotframe.examples.Allocations", [2]),
        # Allocations inside the JDK's helpers (StringBuilder, Arrays.copyOf, String, the regex engine's), many
        # of them inlined into compiled callers: the top frame is the helper, for both walks.
        ("regex-alloc", "alloc=64k", "hotframe.examples.HighlightApp", ["naive", 30_000]),
        ("lock", "lock", "hotframe.examples.Locks", [3])):
    result, stacks, (by_vm, by_jvmti, failed) = run(f"{name}-vm", f"{options},cstack=vm,vmcheck", main_class, args)
    check("Java stack walker: vm" in result.stderr, f"{name}: the session runs the vm walker")
    check(by_vm >= 50 and by_vm >= 0.9 * (by_vm + by_jvmti),
          f"{name}: {by_vm} of {by_vm + by_jvmti} stacks from the vm walker (>= 90%; GetStackTrace {by_jvmti}, "
          f"{failed} where the walker could not)")
    checked = CHECKED.search(result.stderr)
    check(checked is not None, f"{name}: vmcheck compared the walks")
    compared, same_methods, same_bcis = (int(value) for value in checked.groups())
    check(compared >= 50, f"{name}: {compared} samples walked both ways (>= 50)")
    check(same_methods >= 0.99 * compared, f"{name}: same methods in {same_methods} of {compared} (>= 99%)")
    check(same_bcis >= 0.99 * compared, f"{name}: same methods and bcis in {same_bcis} of {compared} (>= 99%)")
    if name == "alloc":
        allocating_method_on_top(f"{name}-vm", stacks)
    elif name == "lock":
        monitor = sum(count for frames, count in stacks if frames[-1] == "java.lang.Object"
                      and any("Locks.updateUnderMonitor" in f for f in frames))
        check(monitor > 0, f"{name}-vm: the monitor waits appear under updateUnderMonitor")

    result, stacks, (by_vm, by_jvmti, failed) = run(f"{name}-dwarf", f"{options},cstack=dwarf", main_class, args)
    check(by_vm == 0 and by_jvmti > 0, f"{name}: cstack=dwarf takes every stack with GetStackTrace ({by_jvmti})")
    if name == "alloc":
        allocating_method_on_top(f"{name}-dwarf", stacks)
