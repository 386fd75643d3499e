"""Stress: 1 kHz sampling while 200 threads start and end continuously for 20 s (cpu engine), then 10 s under
itimer: the JVM exits 0, the profile is written, its sample count accounts for most of the CPU the JVM used
(cpu) or for every signal the kernel sent (itimer, whose count the scheduler tick limits), and the short-lived
threads' own code is in it as much as they really ran it (timers are armed on threads created after start). How
much CPU the short-lived threads get depends on the machine's load and the JIT (on an idle 2-core machine about
85% of the JVM's CPU on JDK 17 and 30% on JDK 25), so the program measures it: each thread reads its own CPU clock
around its work (ThreadChurn.spin), and the profile is held to that figure.
Then 10 s each with spin left to the JIT, cstack=dwarf (reported) and cstack=vm: with the vm walker
Thread.scopedValueBindings holds under 1% of the samples and spin as many as its CPU time (see below)."""

import os
import re

from hotframe_test import check, print_top, read_collapsed, run_java_measured, share, total, work_dir

# The work is kept a frame of its own. Inlined into the compiled Thread.run (JDK 25 does that), AsyncGetCallTrace
# names some pcs of its loop by Thread.run's first scope (Thread.scopedValueBindings): up to half of the work's
# samples left its name that way, which is how HotSpot describes that code, not a sample lost by the agent.
FLAGS = ["-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,hotframe.examples.ThreadChurn::spin"]

directory = work_dir("thread_churn")
for event, seconds in (("cpu", 20), ("itimer", 10)):
    output = os.path.join(directory, f"churn-{event}.collapsed")
    # itimer's run logs at debug level for the count of signals the agent handled (see below).
    logging = ",loglevel=debug" if event == "itimer" else ""
    run = run_java_measured(f"start,event={event},interval=1ms,file={output}{logging}", "hotframe.examples.ThreadChurn",
                            [seconds, 200], jvm_flags=FLAGS, timeout=240, cwd=directory)
    print(f"--- {event}: exit {run.returncode}, wall {run.wall_seconds:.1f}s, cpu {run.cpu_seconds:.1f}s\n"
          f"{run.stdout.strip()}\n{run.stderr.strip()}")
    check(run.returncode == 0, f"{event}: the JVM exited 0 after {seconds}s of thread churn at 1 kHz")
    finished = re.search(r"threads_started=(\d+) .*spin_cpu_ms=(\d+)", run.stdout)
    check(finished is not None, f"{event}: the program finished its work and said how much CPU it got")
    spin_cpu_seconds = int(finished.group(2)) / 1000
    stacks = read_collapsed(output)
    print_top(stacks)
    # Per-thread timers are armed at ThreadStart, so the CPU a new thread spends before it (stack and TLS set-up,
    # HotSpot's start handshake) is not sampled. At ~4000 threads/s that is 8% of the CPU on JDK 17 and about a
    # third on JDK 25 (measured 59-71%), so the bound is set below both.
    if event == "cpu":
        check(total(stacks) >= 0.5 * run.cpu_seconds * 1000,
              f"cpu: {total(stacks)} samples for {run.cpu_seconds:.1f}s of CPU (>= 50% of one per ms)")
    else:
        # The process-wide ITIMER_PROF timer is checked on the scheduler tick (4 ms here) of a CPU running one of
        # the JVM's threads, and signals at most once per check: how many signals 1 s of CPU brings depends on how
        # the JVM's threads and the machine's other work share the ticks (294-929 per 4.8 s of CPU in suites run
        # beside a busy loop), which is the kernel's doing. What the agent answers for is making each signal it
        # got a sample: its count of signals handled (a debug line) is the bound.
        handled = re.search(r"signals handled: (\d+)", run.stderr)
        check(handled is not None, "itimer: the agent logged how many signals it handled")
        signals = int(handled.group(1))
        check(signals > 0 and 0.99 * signals <= total(stacks) <= signals,
              f"itimer: {total(stacks)} samples written for the {signals} signals handled (>= 99%)")
        # A floor all the same, so that a timer armed at a far longer interval than asked cannot pass: one sample
        # per 50 ms of CPU, a third of the fewest seen beside a busy loop (60 a second; 101-322 in runs since,
        # against the 1,000 the interval asks for). A timer at 100 ms would give 10 at most; one at 10 ms (up to
        # 100) would not be told from a busy machine's share of the ticks.
        per_second = total(stacks) / run.cpu_seconds
        check(per_second >= 20,
              f"itimer: {per_second:.0f} samples per second of the JVM's {run.cpu_seconds:.1f}s of CPU (>= 20)")
    in_spin = share(stacks, lambda frames: "hotframe.examples.ThreadChurn.spin" in frames)
    spin_share = spin_cpu_seconds / run.cpu_seconds
    print(f"{event}: {int(finished.group(1))} threads spent {spin_cpu_seconds:.2f}s of the JVM's "
          f"{run.cpu_seconds:.2f}s of CPU in ThreadChurn.spin ({spin_share:.1%}); it holds {in_spin:.1%} of samples")
    check(spin_cpu_seconds >= 0.2, f"{event}: the short-lived threads ran their work for {spin_cpu_seconds:.2f}s "
                                   f"of CPU (>= 0.2 s, enough samples to compare)")
    if event == "cpu":
        # One sample per millisecond of each thread's own CPU time: the work's samples are its CPU time. The first
        # period of each thread starts at a random point, so even threads that live less than 1 ms add up.
        samples = round(in_spin * total(stacks))
        ratio = samples / (spin_cpu_seconds * 1000)
        check(0.7 <= ratio <= 1.15, f"cpu: ThreadChurn.spin has {samples} samples for the "
                                    f"{spin_cpu_seconds * 1000:.0f} ms of CPU the threads measured in it "
                                    f"({ratio:.0%}, expected 70%..115%)")
    else:
        # The process-wide timer signals the thread that is running when it expires: a thread's share of the
        # samples follows its share of the CPU, though too few samples (~100/s) for a close bound.
        check(in_spin >= 0.6 * spin_share, f"itimer: ThreadChurn.spin holds {in_spin:.1%} of samples for "
                                           f"{spin_share:.1%} of the JVM's CPU (>= 60% of it)")

# The same churn with spin left to the JIT (issue 16): JDK 25 inlines the work into the compiled Thread.run, and
# AsyncGetCallTrace names many of its pcs by Thread.run's first scope: 17-22% of all samples read
# java.lang.Thread.run;java.lang.Thread.scopedValueBindings while the threads spin, spin gets half its CPU time.
# The vm walker names an interrupted pc by the PcDesc at it (the run of instructions just executed, see
# scope_offset_at in nmethod_scopes.cpp), so the work lands in spin (inlined) as much as the threads measured. What is
# left in scopedValueBindings (0 with spin not inlined, above) is how C2 describes part of the loop itself. Checked
# in the machine code (2026-12-01, Temurin 25: `-XX:CompileCommand=print,java.lang.Thread::run` prints the code's
# bytes with each PcDesc without hsdis; objdump decoded them): C2 folds 16 rounds of spin into one multiply-add,
# and the inner loop is `mov; mov; mov; imul; add` (the PcDesc after it: spin@19, ladd), then `lea; cmp; jl` (the
# counter and the exit test) with no PcDesc of their own: the next one, after the jl or after the load of the
# safepoint poll's word from the thread register that follows it, says Thread.scopedValueBindings@0 (invokestatic
# currentThread, itself a read of the thread register). Samples whose pc is at the cmp or the jl land there: 1.1-2.4%
# of all samples in twelve runs (2026-11-30 and 12-01, quiet and loaded alike), 0.2-1.0% in three suite runs: the
# share follows the JIT's code.
# async-profiler's walker takes the same PcDesc for a pc (the first at or after it), so it names these pcs alike.
# The target is under 1%, which is reported; the check fails at 4%, still far below AsyncGetCallTrace's
# 17-31% on the same run, so that it catches the walker falling back to the next PcDesc without flaking on the
# compiled code's variation. cstack=dwarf is reported only. On JDK 17 Thread.run has no scopedValueBindings;
# spin's share holds there.
SCOPED_VALUE_BINDINGS = "java.lang.Thread.scopedValueBindings"
for cstack in ("dwarf", "vm"):
    output = os.path.join(directory, f"churn-inlined-{cstack}.collapsed")
    run = run_java_measured(f"start,event=cpu,interval=1ms,cstack={cstack},file={output}",
                            "hotframe.examples.ThreadChurn", [10, 200], jvm_flags=["-XX:CompileCommand=quiet"],
                            timeout=240, cwd=directory)
    check(run.returncode == 0, f"inlined, cstack={cstack}: the JVM exited 0 ({run.stderr.strip()[-300:]})")
    finished = re.search(r"threads_started=(\d+) .*spin_cpu_ms=(\d+)", run.stdout)
    check(finished is not None, f"inlined, cstack={cstack}: the program said how much CPU the work got")
    spin_cpu_seconds = int(finished.group(2)) / 1000
    stacks = read_collapsed(output)
    print_top(stacks)
    in_bindings = share(stacks, lambda frames: SCOPED_VALUE_BINDINGS in frames)
    in_spin = share(stacks, lambda frames: "hotframe.examples.ThreadChurn.spin" in frames)
    ratio = round(in_spin * total(stacks)) / max(spin_cpu_seconds * 1000, 1)
    print(f"REPORT churn inlined, cstack={cstack}: {SCOPED_VALUE_BINDINGS} {in_bindings:.1%} of {total(stacks)} "
          f"samples; spin {in_spin:.1%} ({ratio:.0%} of the {spin_cpu_seconds:.2f}s of CPU the threads measured)")
    if cstack == "vm":
        check(spin_cpu_seconds >= 0.2, f"inlined, vm: the threads ran spin for {spin_cpu_seconds:.2f}s (>= 0.2 s)")
        print(f"REPORT churn inlined, vm: the issue's target, {SCOPED_VALUE_BINDINGS} under 1% of the samples, "
              f"{'held' if in_bindings < 0.01 else 'did not hold'} ({in_bindings:.2%})")
        check(in_bindings < 0.04, f"inlined, vm: {SCOPED_VALUE_BINDINGS} holds {in_bindings:.2%} of the samples (< 4%)")
        check(0.7 <= ratio <= 1.15, f"inlined, vm: spin has {ratio:.0%} of the samples its measured CPU time is "
                                    f"worth (70%..115%)")
