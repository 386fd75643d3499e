"""Stress: 100 start/dump/stop cycles by attach against one JVM under load: no crash, the JVM still works,
and its RSS after the cycles is within 20 MB of its RSS after the first cycle."""

import os
import re
import subprocess

from hotframe_test import (RunningJava, agent_path, check, classes_dir, java, read_collapsed, run_launcher, total,
                           wait_for, work_dir)

CYCLES = 100
directory = work_dir("attach_cycles")
with RunningJava("hotframe.examples.NamedThreads", [600, 2, 1]) as jvm:
    driver = subprocess.run([java(), "-cp", classes_dir(), "hotframe.tools.AttachDriver", str(jvm.pid), agent_path(),
                             str(CYCLES), directory], capture_output=True, text=True, timeout=600)
    print(driver.stdout.strip())
    print(driver.stderr.strip()[-2000:])
    check(driver.returncode == 0, f"{CYCLES} start/dump/stop cycles by attach all succeeded")
    rss = {int(c): int(kb) for c, kb in re.findall(r"cycle (\d+) rss_kb (\d+)", driver.stdout)}
    check(jvm.alive(), "the JVM is alive after the cycles")
    growth_mb = (rss[CYCLES] - rss[1]) / 1024
    check(growth_mb < 20, f"RSS after {CYCLES} cycles is {growth_mb:+.1f} MB from after the first (< 20 MB)")
    # And the agent still profiles: one more session through the launcher, stopped once it has samples.
    check(run_launcher("start", jvm.pid).returncode == 0, "a new session starts after the cycles")

    def sampled():
        match = re.search(r"^samples: (\d+)", run_launcher("status", jvm.pid).stdout, re.M)
        return match is not None and int(match.group(1)) >= 20

    wait_for(sampled, 30, "samples in the new session")
    final = os.path.join(directory, "final.collapsed")
    check(run_launcher("stop", "-f", final, jvm.pid).returncode == 0, "and stops")
    check(total(read_collapsed(final)) >= 20, "and its profile holds the samples")
