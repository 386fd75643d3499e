"""The vm walker through HotSpot's nmethod entry barrier (issue #16, item 3). EntryBarriers' barrier-calls thread
enters compiled methods right after ZGC cycles re-armed their barriers, so some of its samples are taken in the
VM below the barrier stub (BarrierSetNMethod::nmethod_stub_entry_barrier), whose frame keeps a cookie word
between the saved rbp and the return address (frame_senders.cpp, fp_framed_sender). At 1 ms with `threads` and
cstack=vm, on JDK 21 and later: at least 30 such samples (the barrier ran and was sampled), and >= 95% of them
keep the thread's Java code below it (EntryBarriers.work). Before the walker knew the cookie, none did: each
stopped as [not_walkable_Java: StubRoutines stub]. On JDK 17 the same stub is used, but ZGC's slow path there is
short (6 of 5,000 samples in one run): the figures are reported, and held to the same share from 20 samples."""

import os
import re

from hotframe_test import check, print_top, read_collapsed, run_java, total, work_dir

BARRIER = "BarrierSetNMethod::nmethod_stub_entry_barrier"
FLAGS = ["-XX:+UseZGC", "-XX:CompileCommand=quiet",
         "-XX:CompileCommand=dontinline,hotframe.examples.EntryBarriers::step*"]

directory = work_dir("vm_entry_barrier")
output = os.path.join(directory, "barrier.collapsed")
result = run_java(f"start,event=cpu,interval=1ms,threads,cstack=vm,file={output}", "hotframe.examples.EntryBarriers",
                  [6], jvm_flags=FLAGS, cwd=directory)
print(f"exit {result.returncode}\n{result.stdout.strip()}\n{result.stderr.strip()}")
check(result.returncode == 0, "the JVM exited 0")
stacks = read_collapsed(output)
calls = [(frames, count) for frames, count in stacks if frames and frames[0].startswith("[barrier-calls")]
print_top(calls, 12)
in_barrier = [(frames, count) for frames, count in calls if BARRIER in frames]
walked = sum(count for frames, count in in_barrier if "hotframe.examples.EntryBarriers.work" in frames)
print(f"REPORT entry barrier: {total(in_barrier)} of barrier-calls' {total(calls)} samples in {BARRIER}, "
      f"{walked} of them walked through to EntryBarriers.work")
for frames, count in in_barrier:
    if "hotframe.examples.EntryBarriers.work" not in frames:
        print(f"  not walked through: {';'.join(frames)} {count}")
finished = re.search(r"done jdk=(\d+)", result.stdout)
check(finished is not None, "the program finished and said its JDK's version")
if int(finished.group(1)) >= 21:
    check(total(in_barrier) >= 30, f"{total(in_barrier)} samples in {BARRIER} (>= 30: the barrier ran and was "
                                   f"sampled)")
if total(in_barrier) >= 20:
    check(walked >= 0.95 * total(in_barrier),
          f"{walked} of {total(in_barrier)} samples in the barrier keep EntryBarriers.work below it (>= 95%)")
