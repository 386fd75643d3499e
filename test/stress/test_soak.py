"""Stress: an accelerated soak of a long session. 1 kHz, loop=1s, memlimit=256k, on a workload that keeps
meeting new stacks and new classes for 60 s: every interval's file is written, the table's counted bytes never
pass the cap, samples past it are counted under [stacks_over_memlimit] (so widths still add up), and the JVM's
RSS slope is reported beside a run where the agent is loaded but idle (HotSpot never frees the jmethodIDs of
unloaded classes, so RSS alone cannot stay flat under class churn whatever the agent does)."""

import os
import re
import time

from hotframe_test import RunningJava, check, read_collapsed, run_launcher, total, wait_for, work_dir

directory = work_dir("soak")
LIMIT = 256 * 1024
SECONDS = 60
IDLE_SECONDS = 30


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def slope(points):
    """Least-squares slope of (seconds, kB) points, in kB per second."""
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_v = sum(v for _, v in points) / n
    covariance = sum((t - mean_t) * (v - mean_v) for t, v in points)
    variance = sum((t - mean_t) ** 2 for t, _ in points)
    return covariance / variance if variance else 0.0


def watch(jvm, seconds, on_tick=None):
    """RSS every second, after a warm-up of a quarter of the run (JIT, class data, our tables filling)."""
    points = []
    started = time.monotonic()
    while time.monotonic() - started < seconds - 2 and jvm.alive():
        if on_tick:
            on_tick()
        elapsed = time.monotonic() - started
        if elapsed > seconds / 4:
            points.append((elapsed, rss_kb(jvm.pid)))
        time.sleep(1)  # the sampling period of this measurement, not a wait for an event
    return points


counted = []
over_seen = []


def read_status(pid):
    status = run_launcher("status", pid).stdout
    match = re.search(r"memory: (\d+) bytes counted", status)
    if match:
        counted.append(int(match.group(1)))
    over = re.search(r"samples over memlimit: (\d+)", status)
    if over:
        over_seen.append(int(over.group(1)))


agent_options = f"start,event=cpu,interval=1ms,loop=1s,memlimit=256k,dir={directory}"
with RunningJava("hotframe.examples.StackChurn", [SECONDS], agent_options) as jvm:
    profiled = watch(jvm, SECONDS, lambda: read_status(jvm.pid))
    jvm.process.wait(timeout=60)
    log = jvm.log()
check(jvm.process.returncode == 0, f"the JVM exited 0 after {SECONDS}s at 1 kHz with loop=1s")

with RunningJava("hotframe.examples.StackChurn", [IDLE_SECONDS], "") as idle_jvm:
    idle = watch(idle_jvm, IDLE_SECONDS)
    idle_jvm.process.wait(timeout=60)

files = sorted(name for name in os.listdir(directory) if name.endswith(".html"))
check(len(files) >= SECONDS * 0.8, f"{len(files)} interval files for {SECONDS} s of loop=1s")
print(f"counted bytes by status: min {min(counted)}, max {max(counted)}, {len(counted)} readings")
# Each status goes through jcmd (a second or more on a busy machine): a handful spread over the run is enough.
check(len(counted) >= 5, f"status was read throughout the run ({len(counted)} times)")
# One frame name or stack may land past the limit before it is noticed.
check(max(counted) <= LIMIT + 64 * 1024, f"counted bytes never pass memlimit: max {max(counted)} of {LIMIT}")
capped = 0
for name in files:
    with open(os.path.join(directory, name), errors="replace") as f:
        capped += "[stacks_over_memlimit]" in f.read()
# Whether a one-second interval reaches the cap depends on how much CPU the workload got: reported, not asserted
# (the capped session below must reach it).
print(f"{capped} of {len(files)} interval files reached the cap; status saw up to {max(over_seen or [0])} "
      f"samples over it")

# The last interval as collapsed, to check the pseudo-frame and that widths add up with it.
last = os.path.join(directory, "last.collapsed")
header = ""
with RunningJava("hotframe.examples.StackChurn", [120], "start,event=cpu,interval=1ms,memlimit=256k") as jvm:
    # Until the cap is reached (status counts the samples over it), however long the workload's share of a busy
    # machine makes that take.
    wait_for(lambda: "samples over memlimit" in run_launcher("status", jvm.pid).stdout, 60,
             "the capped session counts samples over memlimit")
    check(run_launcher("stop", "-f", last, jvm.pid).returncode == 0, "a collapsed file of a capped session")
with open(last) as f:
    header = f.read(1000)
stacks = read_collapsed(last)
over = sum(count for frames, count in stacks if frames == ["[stacks_over_memlimit]"])
print(header.splitlines()[1] if len(header.splitlines()) > 1 else header)
check(over > 0 and "[stacks_over_memlimit]" in header, f"the cap's pseudo-frame holds {over} samples, the header says so")
check(over < total(stacks), f"and the stacks seen before the cap still count as themselves ({total(stacks)} in all)")

agent_slope, idle_slope = slope(profiled), slope(idle)
print(f"RSS slope after warm-up: {agent_slope:.1f} kB/s with the agent at 1 kHz, {idle_slope:.1f} kB/s idle agent; "
      f"RSS {profiled[-1][1] / 1024:.0f} MB vs {idle[-1][1] / 1024:.0f} MB")
print(log.strip()[-600:])
