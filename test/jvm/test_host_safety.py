"""The host is safe from its profiler: an output that is a device node or a FIFO is refused in one line and left
as it was, at start-up and on a dump, and a later good dump still holds the samples; a FIFO planted as the
memory series never hangs `memory,loop=off` or the JVM's exit."""

import os
import signal
import stat
import subprocess
import time

from hotframe_test import RunningJava, check, read_collapsed, run_java, run_launcher, total, wait_for, work_dir

directory = work_dir("host_safety")


def is_char_device(path):
    return stat.S_ISCHR(os.lstat(path).st_mode)


def is_fifo(path):
    return stat.S_ISFIFO(os.lstat(path).st_mode)


# Targets that are not regular files: a FIFO everywhere, a character device (like /dev/null) where the test may
# create one. The node is the test's own, in its own directory: /dev/null itself is never put at risk.
fifo = os.path.join(directory, "planted-fifo")
os.mkfifo(fifo)
targets = [(fifo, is_fifo, "FIFO")]
device = os.path.join(directory, "planted-null")
try:
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    targets.append((device, is_char_device, "character device"))
except PermissionError:
    print("note: creating a device node needs CAP_MKNOD; the device case is covered by the FIFO case only")

for target, still_is, kind in targets:
    run = run_java(f"start,event=cpu,file={target}", "hotframe.examples.HighlightApp", ["cached", 5])
    errors = [line for line in run.stderr.splitlines() if line.startswith("[hotframe] error:")]
    print(f"--- file={target}: exit {run.returncode}\n{run.stderr.strip()}")
    check(run.returncode != 0 and len(errors) == 1 and kind in errors[0],
          f"start-up with file= a {kind}: the JVM refuses with one line naming it")
    check(still_is(target), f"the {kind} is still a {kind}")

good = os.path.join(directory, "good.collapsed")
with RunningJava("hotframe.examples.NamedThreads", [60, 1, 1], "start,event=cpu,interval=5ms") as jvm:
    for target, still_is, kind in targets:
        dumped = run_launcher("dump", "-f", target, jvm.pid)
        lines = dumped.stderr.strip().splitlines()
        check(dumped.returncode != 0 and len(lines) == 1 and kind in lines[0],
              f"dump -f a {kind}: refused in one line")
        check(still_is(target), f"after the dump the {kind} is still a {kind}")
    check(run_launcher("stop", "-f", good, jvm.pid).returncode == 0, "a good path after the refusals works")
    samples = total(read_collapsed(good))
    check(samples > 50, f"the good file holds the session's samples ({samples})")

    # The memory series: written to a regular file, then a FIFO is put in its place. Each write is refused
    # with an error in status; none waits for a reader that never comes.
    series = os.path.join(directory, "series.jsonl")
    check(run_launcher("memory", "--loop", "1s", "-f", series, jvm.pid).returncode == 0, "memory loop started")
    wait_for(lambda: os.path.exists(series) and os.path.getsize(series) > 0, 15, "a line in the series")
    os.remove(series)
    os.mkfifo(series)
    wait_for(lambda: "FIFO" in run_launcher("status", jvm.pid).stdout, 15, "the loop reports the FIFO")
    started = time.monotonic()
    stopped = run_launcher("memory", "--loop", "off", jvm.pid)
    took = time.monotonic() - started
    check(stopped.returncode == 0 and took < 10, f"memory loop=off returns with a FIFO as the series ({took:.1f} s)")
    check(is_fifo(series), "the FIFO is still a FIFO")

# The JVM's exit: a loop and an atexit report whose files became FIFOs must not hold it up. The JVM is ended by
# SIGTERM once the FIFOs are in place (its shutdown sequence, as a service manager ends it), not after a fixed
# time: two attaches on a busy machine can take longer than any time chosen, and the report must not be written
# before its FIFO is there.
exit_series = os.path.join(directory, "exit-series.jsonl")
at_exit = os.path.join(directory, "exit-memory.json")
jvm = RunningJava("hotframe.examples.NamedThreads", [600, 1, 1])
try:
    check(run_launcher("memory", "--loop", "1s", "-f", exit_series, jvm.pid).returncode == 0, "exit: loop started")
    check(run_launcher("memory", "--at-exit", "-o", "json", "-f", at_exit, jvm.pid).returncode == 0,
          "exit: atexit report registered")
    wait_for(lambda: os.path.exists(exit_series) and os.path.getsize(exit_series) > 0, 15, "a line before exit")
    os.remove(exit_series)
    os.mkfifo(exit_series)
    os.mkfifo(at_exit)
    jvm.process.send_signal(signal.SIGTERM)
    try:
        code = jvm.process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        code = None
    log = jvm.log()
    print(log.strip()[-2000:])
    # 143: 128 + SIGTERM, what the JVM exits with after running its shutdown sequence for that signal.
    check(code == 143, f"the JVM ends within 60 s of SIGTERM, exit code {code}, with FIFOs as its report files")
    check("FIFO" in log, "the log says the report could not be written to a FIFO")
finally:
    jvm.stop()
check(is_fifo(exit_series) and is_fifo(at_exit), "both FIFOs are still FIFOs")
