"""Native frames: an allocation-heavy program with a small heap under cpu mode. GC worker threads appear under
their own roots with demangled HotSpot function names (Thread::call_run and below), their whole native stacks
without a pseudo-frame ([non_Java_thread] only where the walk broke); frames named neither by a symbol nor by a library stay under 1% of samples. cstack=fp loses
the chain in some libc functions; cstack=dwarf (the default) walks nearly all of them to the thread's start.
With cstack=no the same samples carry no native frame at all; include=G1* keeps only samples of G1's threads or
through G1's code."""

import os

from hotframe_test import check, read_collapsed, run_java, work_dir

directory = work_dir("native_frames")
FLAGS = ["-Xmx64m", "-XX:+UseG1GC"]


def by_root(stacks):
    roots = {}
    for frames, count in stacks:
        roots.setdefault(frames[0].split(" tid=")[0].lstrip("["), []).append((frames, count))
    return roots


output = os.path.join(directory, "fp.collapsed")
run = run_java(f"start,event=cpu,interval=5ms,threads,cstack=fp,file={output}", "hotframe.examples.Allocations", [4],
               jvm_flags=FLAGS, cwd=directory)
check(run.returncode == 0, f"the JVM exited 0 ({run.stderr.strip()[-200:]})")
stacks = read_collapsed(output)
total = sum(count for _, count in stacks)
roots = by_root(stacks)
gc = [(frames, count) for name, entries in roots.items() if name.startswith("GC Thread") for frames, count in entries]
gc_samples = sum(count for _, count in gc)
print(f"{total} samples; GC worker threads: {gc_samples}")
check(gc_samples >= 0.05 * total, f"GC workers hold {gc_samples} of {total} samples (>= 5%): the heap is small")
# Frame pointers end the walk where a libc function interrupted in the middle keeps none (about 1 sample in 8
# here: futex and mutex wrappers); the rest walk all the way up.
named = sum(count for frames, count in gc if any("Thread::call_run" in f for f in frames))
check(named >= 0.75 * gc_samples, f"{named} of {gc_samples} GC samples walk up to Thread::call_run (>= 75%)")
hotspot = sum(count for frames, count in gc if any("::" in f and ("G1" in f or "Worker" in f or "Gang" in f)
                                                    for f in frames))
check(hotspot >= 0.75 * gc_samples, f"{hotspot} of {gc_samples} GC samples name G1 or worker C++ functions (>= 75%)")
unnamed = sum(count for frames, count in stacks if any(f == "[jvm_generated_code]" or f.startswith("0x")
                                                       for f in frames))
print(f"samples with a frame named neither by symbol nor by library: {unnamed} ({unnamed / total:.1%})")
check(unnamed <= 0.01 * total, f"frames without a symbol or library name are in {unnamed / total:.1%} of samples")

# DWARF rules walk through libc's futex and mutex wrappers too: nearly every GC sample reaches the thread's start.
output = os.path.join(directory, "dwarf.collapsed")
run = run_java(f"start,event=cpu,interval=5ms,threads,file={output}", "hotframe.examples.Allocations",
               [4], jvm_flags=FLAGS, cwd=directory)
check(run.returncode == 0, f"cstack=dwarf: the JVM exited 0 ({run.stderr.strip()[-200:]})")
stacks = read_collapsed(output)
total = sum(count for _, count in stacks)
gc = [(frames, count) for frames, count in stacks if frames[0].startswith("[GC Thread")]
gc_samples = sum(count for _, count in gc)
named = sum(count for frames, count in gc if any("Thread::call_run" in f for f in frames))
broken = sum(count for frames, count in stacks if "[broken_native]" in frames)
print(f"dwarf: {named} of {gc_samples} GC samples walk up to Thread::call_run; [broken_native] in {broken} of {total}")
check(gc_samples > 0 and named >= 0.95 * gc_samples, f"dwarf: {named} of {gc_samples} GC samples reach Thread::call_run")
check(broken <= 0.02 * total, f"dwarf: [broken_native] in {broken / total:.1%} of samples (<= 2%)")

output = os.path.join(directory, "no.collapsed")
run = run_java(f"start,event=cpu,interval=5ms,threads,cstack=no,file={output}", "hotframe.examples.Allocations", [2],
               jvm_flags=FLAGS, cwd=directory)
check(run.returncode == 0, "cstack=no: the JVM exited 0")
native = [frames for frames, _ in read_collapsed(output)
          if any("::" in f or ".so" in f or f == "[jvm_generated_code]" for f in frames)]
check(not native, f"cstack=no: no native frame appears ({native[:1]})")

# Thread filters and per-thread roots work for threads without Java frames: -I 'G1*' keeps only G1's threads.
output = os.path.join(directory, "g1.collapsed")
run = run_java(f"start,event=cpu,interval=5ms,threads,include=G1*,file={output}", "hotframe.examples.Allocations",
               [3], jvm_flags=FLAGS, cwd=directory)
check(run.returncode == 0, "include=G1*: the JVM exited 0")
g1 = read_collapsed(output)
roots = sorted({frames[0].split(" tid=")[0] for frames, _ in g1})
print(f"include=G1*: {sum(count for _, count in g1)} samples, roots {roots}")
# include= matches thread names and frames alike, and G1's C++ functions are frames now: a sample stays when its
# thread is one of G1's or its stack passes through G1 code (GC workers, the VM thread, allocation slow paths).
check(any(root.startswith("[G1") for root in roots), f"include=G1*: G1's own threads are there ({roots})")
strays = [frames for frames, _ in g1 if not frames[0].startswith("[G1") and not any(f.startswith("G1") for f in frames)]
check(g1 and not strays, f"include=G1*: every sample has a G1 thread or G1 frame ({strays[:1]})")
