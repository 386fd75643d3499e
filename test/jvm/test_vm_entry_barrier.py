"""The vm walker through HotSpot's nmethod entry barrier (issue #16, item 3). EntryBarriers' barrier-calls thread
enters compiled methods right after ZGC cycles re-armed their barriers, so some of its samples are taken in the
VM below the barrier stub (BarrierSetNMethod::nmethod_stub_entry_barrier), whose frame keeps a cookie word
between the saved rbp and the return address (frame_senders.cpp, fp_framed_sender). At 1 ms with `threads` and
cstack=vm, on JDK 23 and later (generational ZGC, whose slow path is long enough to be sampled often): at least
30 such samples, and >= 95% of them walked on into the compiled method that called the barrier (a step
method, the frame right below it) and down to EntryBarriers.work. Before the walker knew the cookie, none were: each stopped as
[not_walkable_Java: StubRoutines stub] (0 of 575 in a run with the rule taken out).
On JDK 17 the same stub runs, but ZGC's slow path there spends most of its time patching the nmethod and
flushing the instruction cache through flush_icache_stub, a leaf stub called from libjvm that the walker cannot
leave yet (31 of 43 samples in one run): the figures are reported and the test is skipped."""

import os
import re

from hotframe_test import check, print_top, read_collapsed, run_java, skip, total, work_dir

BARRIER = "BarrierSetNMethod::nmethod_stub_entry_barrier"
STEP = re.compile(r"hotframe\.examples\.EntryBarriers\.step\d*$")  # the 32 steps and the dispatching step
WORK = "hotframe.examples.EntryBarriers.work"
FLAGS = ["-XX:+UseZGC", "-XX:CompileCommand=quiet",
         "-XX:CompileCommand=dontinline,hotframe.examples.EntryBarriers::step*"]

directory = work_dir("vm_entry_barrier")
output = os.path.join(directory, "barrier.collapsed")
result = run_java(f"start,event=cpu,interval=1ms,threads,cstack=vm,file={output}", "hotframe.examples.EntryBarriers",
                  [6], jvm_flags=FLAGS, cwd=directory)
print(f"exit {result.returncode}\n{result.stdout.strip()}\n{result.stderr.strip()}")
check(result.returncode == 0, "the JVM exited 0")
finished = re.search(r"done jdk=(\d+)", result.stdout)
check(finished is not None, "the program finished and said its JDK's version")
stacks = read_collapsed(output)
calls = [(frames, count) for frames, count in stacks if frames and frames[0].startswith("[barrier-calls")]
print_top(calls, 12)


def walked_through(frames):
    """Below the barrier, the step method that called it, and the thread's work below that."""
    at = frames.index(BARRIER)
    return at > 0 and STEP.search(frames[at - 1]) is not None and WORK in frames[:at]


in_barrier = [(frames, count) for frames, count in calls if BARRIER in frames]
walked = sum(count for frames, count in in_barrier if walked_through(frames))
flush = sum(count for frames, count in calls if any("flush_icache_stub" in frame for frame in frames))
print(f"REPORT entry barrier: {total(in_barrier)} of barrier-calls' {total(calls)} samples in {BARRIER}, "
      f"{walked} of them walked through to a step method and EntryBarriers.work; {flush} in flush_icache_stub")
for frames, count in in_barrier:
    if not walked_through(frames):
        print(f"  not walked through: {';'.join(frames)} {count}")
if int(finished.group(1)) < 23:
    skip(f"JDK {finished.group(1)}: ZGC's barrier slow path is mostly in flush_icache_stub here (reported above)")
check(total(in_barrier) >= 30, f"{total(in_barrier)} samples in {BARRIER} (>= 30: the barrier ran and was sampled)")
check(walked >= 0.95 * total(in_barrier),
      f"{walked} of {total(in_barrier)} samples in the barrier have the calling step method right below it and "
      f"EntryBarriers.work further down (>= 95%)")
