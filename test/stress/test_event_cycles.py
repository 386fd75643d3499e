"""Stress: 60 start/dump/stop cycles of 100 ms by attach that rotate through every event (cpu at 100 us, wall at 1 ms with
alloc every 16k and every lock wait, itimer with locks, alloc alone at 8k) against a JVM whose threads contend
for a monitor and a ReentrantLock and allocate under it, so that allocation and lock callbacks and the park
wrapper are running while events are switched on and off: no crash, the JVM still works, RSS stays put over the
second half of the cycles, and a last
session through the launcher records all three kinds."""

import os
import re
import subprocess

from hotframe_test import (RunningJava, agent_path, check, classes_dir, java, read_collapsed, run_launcher, total,
                           work_dir)

CYCLES = 60
SESSION_MS = 100  # long enough for every event to record samples in every session
STARTS = ["start,interval=100us",
          "start,event=wall,interval=1ms,alloc=16k,lock=0",
          "start,event=itimer,interval=1ms,lock=0",
          "start,alloc=8k"]
directory = work_dir("event_cycles")
# A fixed, pre-touched heap: the example allocates, and a growing heap would hide or fake a leak in the RSS.
with RunningJava("hotframe.examples.Locks", [600, "allocate"],
                 jvm_flags=["-Xms64m", "-Xmx64m", "-XX:+AlwaysPreTouch"]) as jvm:
    driver = subprocess.run([java(), "-cp", classes_dir(), "hotframe.tools.AttachDriver", str(jvm.pid), agent_path(),
                             str(CYCLES), directory, "|".join(STARTS), str(SESSION_MS)], capture_output=True, text=True,
                            timeout=600)
    print(driver.stdout.strip())
    print(driver.stderr.strip()[-2000:])
    check(driver.returncode == 0, f"{CYCLES} start/dump/stop cycles through every event all succeeded")
    check(jvm.alive(), "the JVM is alive after the cycles")
    rss = {int(c): int(kb) for c, kb in re.findall(r"cycle (\d+) rss_kb (\d+)", driver.stdout)}
    # The sample rings are touched as they fill, in the first cycles; after that RSS must stay put.
    print(f"RSS after cycle 1: {rss[1] / 1024:.1f} MB")
    growth_mb = (rss[CYCLES] - rss[CYCLES // 2]) / 1024
    check(growth_mb < 10, f"RSS after {CYCLES} cycles is {growth_mb:+.1f} MB from after {CYCLES // 2} (< 10 MB)")
    result = run_launcher("-d", "2", "-e", "cpu,alloc,lock", "--alloc", "64k", "-f", "final-%e.collapsed", jvm.pid,
                          cwd=directory)
    check(result.returncode == 0, "a last session with three events works after the cycles")
    for event in ("cpu", "alloc", "lock"):
        path = os.path.join(directory, f"final-{event}.collapsed")
        check(total(read_collapsed(path)) > 0, f"and its {event} profile holds samples")
