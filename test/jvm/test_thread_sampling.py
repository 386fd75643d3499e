"""Thread sampling through the launcher: one named thread that computes 30% of the time and sleeps 70% shows
RUNNABLE and TIMED_WAITING in about that proportion, its stacks name the compute and sleep methods, the other
busy thread is not in the report, and the per-thread flame graph is written beside the text."""

import os
import re

from hotframe_test import RunningJava, check, run_launcher, work_dir

directory = work_dir("thread_sampling")
report_path = os.path.join(directory, "pulse.txt")
with RunningJava("hotframe.examples.Pulse", [30, 70, 120]) as jvm:
    result = run_launcher("sample", "-d", "4", "-i", "5ms", "-I", "pulse", "-f", report_path, jvm.pid)
    check(result.returncode == 0, "sample succeeds and the launcher prints the report")
    text = result.stdout
    check('"pulse"' in text and '"noise"' not in text, "only the matching thread is sampled")
    samples = int(re.search(r'"pulse" nid=\d+: (\d+) samples', text).group(1))
    check(samples >= 300, f"{samples} samples in 4 s at 5 ms (>= 300)")
    runnable = float(re.search(r"RUNNABLE ([0-9.]+)%", text).group(1))
    sleeping = float(re.search(r"TIMED_WAITING ([0-9.]+)%", text).group(1))
    check(20 <= runnable <= 42, f"RUNNABLE {runnable}% of the time (computes 30%)")
    check(58 <= sleeping <= 80, f"TIMED_WAITING {sleeping}% of the time (sleeps 70%)")
    check("hotframe.examples.Pulse.compute" in text and "java.lang.Thread.sleep" in text,
          "the stacks name the compute and the sleep")
    with open(os.path.join(directory, "pulse.html"), encoding="utf-8") as f:
        page = f.read()
    check("[pulse tid=" in page and "[TIMED_WAITING]" in page and page.rstrip().endswith("</html>"),
          "the flame graph has the thread's tower and its waiting state")
    status = run_launcher("status", jvm.pid)
    check("thread sampling: wrote" in status.stdout, "status reports the finished window")
    missing = run_launcher("sample", "-d", "1", jvm.pid)
    check(missing.returncode != 0 and "include=" in missing.stderr, "sample without threads to watch is an error")
