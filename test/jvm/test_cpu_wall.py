"""cpu and wall in one session, and async-profiler's words as its users type them.
- cpu at 1 ms and wall at 5 ms together on examples/WallClock ("sleeper" computes 10 ms, sleeps 90 ms; "spinner"
  computes): the wall profile shows the sleeper's Thread.sleep at about 90% of its samples, the cpu profile none
  of it, and the cpu profile's samples x interval match the JVM's CPU time (no perf_event re-arm lost to a wall
  signal: they arrive on a signal of their own).
- start,cpu / wall=50ms / all / timeout=2s do what async-profiler's do.
- The launcher's -d runs end with one line of advice when the CPU was mostly idle, and not for a busy process.
- A JVM that ignores SIGQUIT, or runs with -Xrs: the launcher says why in one line, at once, and the JVM lives."""

import os
import signal
import subprocess
import time

from hotframe_test import (RunningJava, at_most_two_cpus, check, classes_dir, collapsed_header, java,
                           profiled_cpu_seconds, read_collapsed, run_java, run_java_measured, run_launcher, total,
                           wait_for, work_dir)

directory = work_dir("cpu_wall")


def thread_stacks(stacks, name):
    return [(frames, count) for frames, count in stacks if frames[0].startswith(f"[{name} tid=")]


def share_of(stacks, part):
    whole = total(stacks)
    return sum(count for frames, count in stacks if any(part in f for f in frames)) / whole if whole else 0.0


# --- cpu and wall together
pattern = os.path.join(directory, "both-%e.collapsed")
run = run_java_measured(f"start,event=cpu,interval=1ms,wall=5ms,threads,file={pattern}", "hotframe.examples.WallClock",
                        [10, 90, 6, 0], cwd=directory)
print(run.stderr.strip()[-800:])
check(run.returncode == 0, "cpu+wall: the JVM exited 0")
cpu_file, wall_file = pattern.replace("%e", "cpu"), pattern.replace("%e", "wall")
check(os.path.exists(cpu_file) and os.path.exists(wall_file), "cpu+wall: one file per event")
check("wall profile" in collapsed_header(wall_file) and "cpu profile" in collapsed_header(cpu_file),
      f"cpu+wall: each header says what it holds ({collapsed_header(cpu_file)!r}, {collapsed_header(wall_file)!r})")
cpu, wall = read_collapsed(cpu_file), read_collapsed(wall_file)
sleeper_wall = thread_stacks(wall, "sleeper")
sleeping = share_of(sleeper_wall, "Thread.sleep")
check(total(sleeper_wall) >= 200, f"wall: the sleeper has {total(sleeper_wall)} samples at 5 ms over 6 s")
check(0.80 <= sleeping <= 0.97, f"wall: Thread.sleep holds {sleeping:.1%} of the sleeper's samples (~90%)")
sleeper_cpu = thread_stacks(cpu, "sleeper")
# Going to sleep and waking up cost some CPU (the JVM's bookkeeping, the system call, the scheduler), and the cpu
# profile shows that, as it should; the sleeping itself (90% of the sleeper's 6 s) it must not show.
asleep_seconds = sleeping * total(sleeper_wall) * 0.005
sleep_cpu_seconds = sum(count for frames, count in sleeper_cpu if any("Thread.sleep" in f for f in frames)) / 1000
check(sleep_cpu_seconds < 0.1 * asleep_seconds,
      f"cpu: {sleep_cpu_seconds:.2f} s of CPU under Thread.sleep against {asleep_seconds:.1f} s asleep (almost none)")
# The JVM's CPU before profiling started (start-up, the agent's set-up: the agent logs how much) and in threads'
# first moments before their timers were armed is not sampled; everything else is, one sample per ms.
profiled_cpu = profiled_cpu_seconds(run)
check(profiled_cpu is not None, "cpu+wall: the start-up log says the process's CPU before profiling")
sampled = total(cpu) / 1000
ratio = sampled / profiled_cpu
check(0.90 <= ratio <= 1.10,
      f"cpu: {total(cpu)} samples x 1 ms = {sampled:.2f} s for {profiled_cpu:.2f} s of CPU after profiling started "
      f"({run.cpu_seconds:.2f} s in all; {ratio:.0%}, 90-110%)")

# --- async-profiler's words
short = os.path.join(directory, "short.collapsed")
run = run_java(f"start,cpu,file={short}", "hotframe.examples.NamedThreads", [2, 1, 1], cwd=directory)
check(run.returncode == 0 and "cpu profile" in collapsed_header(short) and total(read_collapsed(short)) > 20,
      f"start,cpu: a cpu profile ({collapsed_header(short)!r})")

wall_only = os.path.join(directory, "wall-only.collapsed")
run = run_java(f"start,wall=50ms,file={wall_only}", "hotframe.examples.WallClock", [10, 90, 2, 0], cwd=directory)
check(run.returncode == 0 and "wall profile" in collapsed_header(wall_only),
      f"start,wall=50ms: a wall profile ({collapsed_header(wall_only)!r})")

everything = os.path.join(directory, "all-%e.collapsed")
run = run_java(f"start,all,file={everything}", "hotframe.examples.HighlightApp", ["naive", 3], cwd=directory)
written = sorted(name for name in os.listdir(directory) if name.startswith("all-"))
check(run.returncode == 0 and written == ["all-alloc.collapsed", "all-cpu.collapsed", "all-lock.collapsed",
                                          "all-wall.collapsed"], f"all: cpu, wall, alloc and lock files ({written})")

timed = os.path.join(directory, "timeout.collapsed")
# Timed from before the JVM starts, since the session (and its 2 s) starts with it: a JVM slow to get ready on a
# busy machine would otherwise leave less than a second between "ready" and the profile.
started = time.monotonic()
with RunningJava("hotframe.examples.NamedThreads", [60, 1, 1], f"start,cpu,timeout=2s,file={timed}") as jvm:
    wait_for(lambda: os.path.exists(timed), 30, "the timeout's profile")
    took = time.monotonic() - started
    check(jvm.alive(), "timeout=2s: the JVM runs on")
    check(2.0 <= took <= 30, f"timeout=2s: the profile was written {took:.1f} s after the JVM was started")
    check("not running" in run_launcher("status", jvm.pid).stdout, "timeout=2s: the session has stopped")
    check(total(read_collapsed(timed)) > 20, "timeout=2s: the profile holds the session's samples")

# --- advice at the end of -d runs
with RunningJava("hotframe.examples.Sleepy", [60]) as jvm:
    result = run_launcher("-d", "3", "-f", os.path.join(directory, "sleepy.html"), jvm.pid)
    advice = [line for line in result.stdout.splitlines() if line.startswith("advice:")]
    check(result.returncode == 0 and len(advice) == 1 and "mostly waiting; try -e wall" in advice[0],
          f"a mostly sleeping JVM: one line of advice ({advice})")
# On two CPUs, as the advice weighs the JVM's CPU against the CPUs it may use (on sixteen, two busy threads would
# look mostly idle).
with RunningJava("hotframe.examples.NamedThreads", [60, 1, 1], preexec_fn=at_most_two_cpus) as jvm:
    result = run_launcher("-d", "3", "-f", os.path.join(directory, "busy.html"), jvm.pid)
    advice = [line for line in result.stdout.splitlines() if line.startswith("advice:") and "waiting" in line]
    check(result.returncode == 0 and not advice, f"a CPU-bound JVM: no advice to look at wall ({advice})")

# --- attach obstacles, named in one line
# jcmd asks a JVM for an attach with SIGQUIT unless its attach listener already runs. HotSpot takes SIGQUIT back
# even when it was started ignored, so such a JVM answers; with -Xrs it leaves SIGQUIT alone but starts its
# listener at start-up. What cannot work is -Xrs once that listener's socket is gone (tmp cleaners delete
# /tmp/.java_pid*): SIGQUIT ignored means no answer, SIGQUIT at its default means jcmd would kill the JVM.
def start_java(flags, ignore_quit):
    command = [java()] + flags + ["-cp", classes_dir(), "hotframe.examples.NamedThreads", "30", "1", "1"]
    preexec = (lambda: signal.signal(signal.SIGQUIT, signal.SIG_IGN)) if ignore_quit else None
    process = subprocess.Popen(command, stdout=subprocess.PIPE, preexec_fn=preexec, cwd=directory)
    check(process.stdout.readline().strip() == b"ready", "the JVM runs")
    return process


process = start_java([], True)
try:
    check(run_launcher("status", process.pid).returncode == 0, "SIGQUIT ignored at start: HotSpot answers anyway")
finally:
    process.terminate()
    process.wait(timeout=30)

for ignore_quit, cause in ((True, "ignores SIGQUIT"), (False, "does not handle SIGQUIT")):
    process = start_java(["-Xrs"], ignore_quit)
    try:
        socket = f"/tmp/.java_pid{process.pid}"
        wait_for(lambda: os.path.exists(socket), 30, "the attach listener's socket, made at start-up with -Xrs")
        os.remove(socket)
        started = time.monotonic()
        result = run_launcher("status", process.pid)
        took = time.monotonic() - started
        lines = result.stderr.strip().splitlines()
        check(result.returncode != 0 and len(lines) == 1 and cause in lines[0] and took < 2,
              f"-Xrs, listener gone, {cause}: one line naming the cause, in {took:.2f} s")
        check(process.poll() is None, f"-Xrs, {cause}: the JVM is still alive")
    finally:
        process.terminate()
        process.wait(timeout=30)
