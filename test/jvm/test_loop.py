"""Periodic dumps by attach: loop=1s writes one complete file per interval, each holding only that interval's
samples; keep=2 leaves the newest two."""

import os
import re

from hotframe_test import RunningJava, check, read_collapsed, run_launcher, total, wait_for, work_dir

directory = work_dir("loop")


def loop_files(prefix):
    return sorted(name for name in os.listdir(directory) if name.startswith(prefix) and name.endswith(".collapsed"))


with RunningJava("hotframe.examples.NamedThreads", [120, 1, 1]) as jvm:
    started = run_launcher("start", "--loop", "1s", "-f", f"{directory}/loop-%t.collapsed", jvm.pid)
    check(started.returncode == 0, "loop start succeeds")
    wait_for(lambda: len(loop_files("loop-")) >= 3, 15, "three loop files")
    run_launcher("stop", "-f", f"{directory}/after-stop.collapsed", jvm.pid)
    files = loop_files("loop-")
    check(len(files) >= 3, f"at least 3 interval files: {files}")
    # Two busy threads on at most 2 cores: one interval of 1 s at 10 ms holds at most ~200 CPU samples.
    for name in files[:3]:
        stacks = read_collapsed(os.path.join(directory, name))
        samples = total(stacks)
        check(30 <= samples <= 260, f"{name} holds one interval's samples ({samples}, expected 30..260)")

    kept = run_launcher("start", "--loop", "1s", "--keep", "2", "--dir", directory, jvm.pid)
    check(kept.returncode == 0, "loop start with keep=2 and dir= succeeds")

    def intervals_written():
        status = run_launcher("status", jvm.pid)
        match = re.search(r"(\d+) intervals written", status.stdout)
        return int(match.group(1)) if match else 0

    wait_for(lambda: intervals_written() >= 4, 20, "four intervals written with keep=2")
    in_dir = [n for n in os.listdir(directory) if n.startswith("hotframe-") and n.endswith(".html")]
    check(len(in_dir) == 2, f"keep=2 leaves 2 files in the directory: {in_dir}")
    run_launcher("stop", jvm.pid)

    # status counts only intervals that were really written: while the directory is gone the intervals fail,
    # and are counted as failed.
    series = os.path.join(directory, "series")
    os.makedirs(series)
    check(run_launcher("start", "--loop", "1s", "--dir", series, jvm.pid).returncode == 0, "loop into series/")

    def loop_counts():
        status = run_launcher("status", jvm.pid).stdout
        match = re.search(r"(\d+) intervals written, (\d+) failed", status)
        return (int(match.group(1)), int(match.group(2))) if match else (0, 0)

    wait_for(lambda: loop_counts()[0] >= 1, 15, "an interval written into series/")
    gone = series + ".gone"
    os.rename(series, gone)
    wait_for(lambda: loop_counts()[1] >= 2, 15, "two intervals failed while the directory is gone")
    os.makedirs(series)
    wait_for(lambda: len(os.listdir(series)) >= 1, 15, "writes resume when the directory is back")
    written, failed = loop_counts()
    files = len(os.listdir(gone)) + len(os.listdir(series))
    # A file lands before its interval is counted, so the files may be one ahead of the count, never behind.
    check(written <= files <= written + 1, f"{written} intervals written, {files} files, {failed} failed")
    run_launcher("stop", jvm.pid)
