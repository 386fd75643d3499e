"""Periodic dumps by attach: loop=1s writes one complete file per interval, each holding only that interval's
samples; keep=2 leaves the newest two."""

import os
import re

from hotframe_test import RunningJava, check, read_collapsed, run_launcher, total, wait_for, work_dir

directory = work_dir("loop")


def loop_files(prefix):
    return sorted(name for name in os.listdir(directory) if name.startswith(prefix) and name.endswith(".collapsed"))


def process_cpu_seconds(pid):
    """utime + stime of the whole process, from /proc (clock ticks)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


with RunningJava("hotframe.examples.NamedThreads", [120, 1, 1]) as jvm:
    # The process's CPU over two windows: around the launcher's start and stop (outer), and from start's return to
    # stop's call (inner). A jcmd call takes a second or more on a busy machine, while the workload's threads run
    # on unsampled, so only the inner window is sure to be all sampled, and only the outer one to hold every sample.
    outer_before = process_cpu_seconds(jvm.pid)
    started = run_launcher("start", "--loop", "1s", "-f", f"{directory}/loop-%t.collapsed", jvm.pid)
    check(started.returncode == 0, "loop start succeeds")
    inner_before = process_cpu_seconds(jvm.pid)
    wait_for(lambda: len(loop_files("loop-")) >= 3, 15, "three loop files")
    inner_seconds = process_cpu_seconds(jvm.pid) - inner_before
    run_launcher("stop", "-f", f"{directory}/after-stop.collapsed", jvm.pid)
    outer_seconds = process_cpu_seconds(jvm.pid) - outer_before
    files = loop_files("loop-")
    check(len(files) >= 3, f"at least 3 interval files: {files}")
    # Each file holds its own interval, not everything since the start: together with what the stop wrote, the
    # files hold the CPU the process used meanwhile (one sample per 10 ms of it), however much a busy machine
    # left it; cumulative files would hold several times that. The bounds are the process's own CPU, measured: at
    # least 70% of the inner window (the agent's own threads, which name the frames and write the files, are not
    # sampled), at most 120% of the outer one.
    counts = [total(read_collapsed(os.path.join(directory, name))) for name in files]
    counts.append(total(read_collapsed(os.path.join(directory, "after-stop.collapsed"))))
    check(all(count > 0 for count in counts[:3]), f"every interval has samples: {counts}")
    sampled = sum(counts) / 100
    check(0.7 * inner_seconds <= sampled <= 1.2 * outer_seconds + 0.1,
          f"the files together hold {sampled:.2f} s of samples for {inner_seconds:.2f} s of the process's CPU "
          f"between start's return and stop, {outer_seconds:.2f} s with both (one interval each: {counts})")

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
    # A file lands before its interval is counted, so the files may be one ahead of the count, never behind. The
    # loop runs on while status is asked (a jcmd call, a second or more on a busy machine), so the files are
    # counted before and after: at most one ahead before, never behind after.
    def file_count():
        return len(os.listdir(gone)) + len(os.listdir(series))

    files_before = file_count()
    written, failed = loop_counts()
    files_after = file_count()
    check(files_before <= written + 1 and written <= files_after,
          f"{written} intervals written, {files_before} files before status and {files_after} after, {failed} failed")
    run_launcher("stop", jvm.pid)
