"""Thread dumps and memory reports on a schedule, by attach: memory with --loop 1s appends one JSON line per
interval (a time series), threaddump with --loop 1s --keep 2 writes a dump per interval keeping the newest 2,
--loop off ends each, and --at-exit writes both reports when the JVM ends (here by SIGTERM)."""

import json
import os
import re
import signal

from hotframe_test import RunningJava, check, run_launcher, wait_for, work_dir

directory = work_dir("report_schedule")
series = os.path.join(directory, "mem.jsonl")


def lines_in(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line for line in f.read().split("\n") if line]


# G1 named: the JVM picks Serial on a machine with one CPU or under 1.8 GB, and the pool checked below is G1's.
with RunningJava("hotframe.examples.Deadlocks", ["none", 5], jvm_flags=["-XX:+UseG1GC"]) as jvm:
    check(run_launcher("memory", "--loop", "1s", "-f", series, jvm.pid).returncode == 0, "memory --loop 1s starts")
    wait_for(lambda: len(lines_in(series)) >= 6, 30, "six lines in the memory series")
    check(run_launcher("memory", "--loop", "off", jvm.pid).returncode == 0, "memory --loop off ends it")
    records = [json.loads(line) for line in lines_in(series)]
    times = [record["time_ms"] for record in records]
    check(all(b > a for a, b in zip(times, times[1:])), f"one JSON line per interval, in time order ({len(records)})")
    gaps = [b - a for a, b in zip(times, times[1:])]
    # The first report loads java.lang.management's classes, which on a busy machine takes a good part of a
    # second and shortens the first gap of the fixed-rate schedule: the cadence is read from the later ones, by
    # their mean. One report held up on a busy machine makes its gap longer and, the schedule being fixed-rate,
    # the next one shorter by as much, so single gaps say little; their mean over four or more stays near 1 s.
    later = gaps[1:]
    mean = sum(later) / len(later)
    check(700 <= mean <= 1500, f"about a second apart after the first: {mean:.0f} ms on average ({gaps} ms)")
    check(all(any(p["name"] == "G1 Old Gen" for p in r["pools"]) and r["rss"] > 0 for r in records),
          "each line holds the pools and the RSS")
    check("periodic memory" not in run_launcher("status", jvm.pid).stdout, "status no longer lists the series")

    check(run_launcher("threaddump", "--loop", "1s", "--keep", "2", "--dir", directory, jvm.pid).returncode == 0,
          "threaddump --loop 1s --keep 2 starts")

    def dumps_written():
        match = re.search(r"periodic threaddump: every 1 s, (\d+) written", run_launcher("status", jvm.pid).stdout)
        return int(match.group(1)) if match else 0

    wait_for(lambda: dumps_written() >= 4, 20, "four periodic thread dumps")
    check(run_launcher("threaddump", "--loop", "off", jvm.pid).returncode == 0, "threaddump --loop off ends it")
    dumps = sorted(n for n in os.listdir(directory) if n.startswith("threads-") and n.endswith(".txt"))
    check(len(dumps) == 2, f"keep=2 leaves 2 dumps ({dumps})")
    for name in dumps:
        with open(os.path.join(directory, name)) as f:
            text = f.read()
        check(text.startswith("Full thread dump") and '"holder"' in text, f"{name} is a complete dump")

    exit_dump = os.path.join(directory, "exit-threads.txt")
    exit_memory = os.path.join(directory, "exit-memory.json")
    check(run_launcher("threaddump", "--at-exit", "-f", exit_dump, jvm.pid).returncode == 0, "threaddump --at-exit")
    check(run_launcher("memory", "--at-exit", "-f", exit_memory, jvm.pid).returncode == 0, "memory --at-exit")
    jvm.process.send_signal(signal.SIGTERM)
    jvm.process.wait(timeout=60)
    with open(exit_dump) as f:
        text = f.read()
    check(text.startswith("Full thread dump") and '"holder"' in text, "the thread dump was written at exit")
    with open(exit_memory) as f:
        check("pools" in json.load(f), "the memory report was written at exit as JSON")
