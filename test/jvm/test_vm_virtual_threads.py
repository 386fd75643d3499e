"""The vm walker (cstack=vm) on virtual threads (JDK 21+; skipped on older JDKs): VirtualThreads runs 1000 virtual
threads that alternate CPU work (crunch) with Thread.sleep, half of them at the top of a 300-frame stack. What
the walker does at the continuation boundary (see at_return_barrier in native/capture/java_walk.cpp and README,
"The Java stack walker"): it walks on through Continuation.enterSpecial into the carrier thread's own frames,
down to ForkJoinWorkerThread.run; where the virtual thread's outer frames are still frozen in the heap (a large
stack is thawed only partly), the pseudo-frame [continuation_frozen_frames] stands for them, right above
Continuation.enterSpecial. Checked at 1 ms:
- the JVM exits 0 and the work ran;
- crunch holds >= 90% of the samples that are either crunch's or lost (unknown, unwalkable, broken, faulted);
- >= 95% of crunch's samples go down through Continuation.enterSpecial to ForkJoinWorkerThread.run;
- [continuation_frozen_frames] appears (the deep threads' samples have it) and only right above enterSpecial;
- cstack=vm,vmcheck: the Java frames agree with AsyncGetCallTrace's in >= 99% of the samples where it found
  frames (the check steps over [continuation_frozen_frames], which marks what AsyncGetCallTrace skips unmarked);
- with cstack=dwarf (AsyncGetCallTrace, which on JDK 25 also walks on into the carrier but joins the thawed
  frames to enterSpecial without a mark) the shares are reported only."""

import os
import re

from hotframe_test import check, failed_walk, print_top, read_collapsed, run_java, skip, total, work_dir

CRUNCH = "hotframe.examples.VirtualThreads.crunch"
DESCEND = "hotframe.examples.VirtualThreads.descend"
ENTER_SPECIAL = "jdk.internal.vm.Continuation.enterSpecial"
CARRIER_RUN = "java.util.concurrent.ForkJoinWorkerThread.run"
FROZEN = "[continuation_frozen_frames]"
ARGS = [6, 1000, 300]  # seconds, virtual threads, depth of the deep ones

directory = work_dir("vm_virtual_threads")


def profile(cstack):
    output = os.path.join(directory, f"{cstack.replace(',', '-')}.collapsed")
    run = run_java(f"start,event=cpu,interval=1ms,cstack={cstack},file={output},loglevel=info",
                   "hotframe.examples.VirtualThreads", ARGS, cwd=directory)
    if run.returncode == 3 and "no virtual threads" in run.stdout:
        skip("this JDK has no virtual threads (JDK 21+)")
    print(f"--- cstack={cstack}: exit {run.returncode}\n{run.stdout.strip()}\n{run.stderr.strip()[-2000:]}")
    check(run.returncode == 0, f"cstack={cstack}: the JVM exited 0")
    check("vthreads=1000" in run.stdout, f"cstack={cstack}: the virtual threads finished their work")
    stacks = read_collapsed(output)
    print_top(stacks, 12)
    return run, stacks


def shares(cstack, stacks):
    crunch = [(frames, count) for frames, count in stacks if CRUNCH in frames]
    crunch_samples = total(crunch)
    failed = total([(frames, count) for frames, count in stacks if any(failed_walk(f) for f in frames)])
    check(crunch_samples >= 500, f"cstack={cstack}: {crunch_samples} samples in crunch (>= 500)")
    through = total([(frames, count) for frames, count in crunch
                     if ENTER_SPECIAL in frames and CARRIER_RUN in frames[:frames.index(ENTER_SPECIAL)]])
    return crunch, crunch_samples, failed, through


dwarf_run, dwarf_stacks = profile("dwarf")
_, dwarf_crunch, dwarf_failed, dwarf_through = shares("dwarf", dwarf_stacks)
print(f"REPORT cstack=dwarf: crunch {dwarf_crunch} samples, lost {dwarf_failed} of {total(dwarf_stacks)}; "
      f"{dwarf_through / dwarf_crunch:.1%} of crunch's reach the carrier")

vm_run, vm_stacks = profile("vm")
check("Java stack walker: vm" in vm_run.stderr, "vm: the log says the vm walker runs")
crunch, crunch_samples, failed, through = shares("vm", vm_stacks)
all_samples = total(vm_stacks)
print(f"REPORT cstack=vm: crunch {crunch_samples} samples, lost {failed} of {all_samples}; "
      f"{through / crunch_samples:.1%} of crunch's go through enterSpecial to the carrier")
check(crunch_samples >= 0.9 * (crunch_samples + failed),
      f"vm: crunch holds {crunch_samples / (crunch_samples + failed):.1%} of its own and the lost samples (>= 90%)")
check(through >= 0.95 * crunch_samples,
      f"vm: {through / crunch_samples:.1%} of crunch's samples continue through {ENTER_SPECIAL} to "
      f"{CARRIER_RUN} (>= 95%)")

frozen = [(frames, count) for frames, count in vm_stacks if FROZEN in frames]
# Root first: ...;Continuation.enterSpecial;[continuation_frozen_frames];<the thawed frames of the thread>.
misplaced = [frames for frames, _ in frozen
             if frames[frames.index(FROZEN) - 1] != ENTER_SPECIAL or frames.index(FROZEN) == len(frames) - 1]
deep_crunch = total([(frames, count) for frames, count in crunch if DESCEND in frames or FROZEN in frames])
print(f"vm: {total(frozen)} samples with {FROZEN}, {deep_crunch} of crunch's in the deep threads")
check(total(frozen) > 0, f"vm: the deep threads' partly thawed stacks show {FROZEN} ({total(frozen)} samples)")
check(not misplaced, f"vm: {FROZEN} sits right above {ENTER_SPECIAL}, below the thread's own frames "
                     f"({[';'.join(f[-6:]) for f in misplaced[:2]]})")

check_run, _ = profile("vm,vmcheck")
line = re.search(r"vmcheck: (\d+) samples walked by AsyncGetCallTrace; vm walk: same methods (\d+)", check_run.stderr)
check(line is not None, "vmcheck: the agent logs how often the walks agreed")
compared, same_methods = int(line.group(1)), int(line.group(2))
check(compared >= 500, f"vmcheck: {compared} samples compared (>= 500)")
print(f"REPORT vmcheck on virtual threads: same methods {same_methods / compared:.2%} of {compared}")
check(same_methods >= 0.99 * compared,
      f"vmcheck: the vm walk found AsyncGetCallTrace's Java frames in {same_methods / compared:.2%} (>= 99%)")
