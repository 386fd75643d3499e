"""Memory by JVM space through the launcher: every pool with used/committed/max, heap and non-heap totals,
collectors, buffer pools and RSS, as text and JSON; the figures agree with `jstat -gc` read right after (after
a full GC, so that jstat's counters are fresh and nothing moves between the two readings)."""

import json
import os
import subprocess

from hotframe_test import RunningJava, check, java_home, run_launcher, work_dir

directory = work_dir("memory")


def jstat_gc(pid):
    output = subprocess.run([os.path.join(java_home(), "bin", "jstat"), "-gc", str(pid)], capture_output=True,
                            text=True, timeout=60).stdout.split("\n")
    return dict(zip(output[0].split(), (float(v) for v in output[1].split())))


# G1 named: the JVM picks Serial on a machine with one CPU or under 1.8 GB, and the pools below are G1's.
with RunningJava("hotframe.examples.Deadlocks", ["none", 50], jvm_flags=["-XX:+UseG1GC"]) as jvm:
    # The first report loads java.lang.management's classes into metaspace; jstat's counters are refreshed by a
    # GC. So: report once, collect, then compare a second report with jstat.
    text = run_launcher("memory", jvm.pid)
    jcmd = os.path.join(java_home(), "bin", "jcmd")
    subprocess.run([jcmd, str(jvm.pid), "GC.run"], capture_output=True, timeout=60)
    check(text.returncode == 0, "memory succeeds")
    for part in ("G1 Old Gen", "Metaspace", "CodeHeap", "heap:", "non-heap:", "class space:", "code cache:",
                 "gc G1 Young Generation:", "buffers direct:", "process RSS:"):
        check(part in text.stdout, f"the text report has '{part}'")

    result = run_launcher("memory", "-o", "json", "-f", "memory.json", jvm.pid, cwd=directory)
    stat = jstat_gc(jvm.pid)
    check(result.returncode == 0, "memory -o json -f writes a file")
    with open(os.path.join(directory, "memory.json")) as f:
        report = json.load(f)
    pools = {pool["name"]: pool for pool in report["pools"]}
    print({name: (pool["used"] // 1024, pool["committed"] // 1024) for name, pool in pools.items()})
    print(stat)

    def close(ours_bytes, jstat_kb, what):
        ours_kb = ours_bytes / 1024
        tolerance = max(256, 0.02 * jstat_kb)  # jstat prints KB with one decimal; a little may move
        check(abs(ours_kb - jstat_kb) <= tolerance, f"{what}: ours {ours_kb:.0f} KB, jstat {jstat_kb:.0f} KB")

    close(pools["G1 Old Gen"]["used"], stat["OU"], "old generation used")
    close(pools["G1 Old Gen"]["committed"], stat["OC"], "old generation committed")
    close(pools["G1 Eden Space"]["committed"], stat["EC"], "eden committed")
    close(pools["Metaspace"]["used"], stat["MU"], "metaspace used")
    close(pools["Compressed Class Space"]["used"], stat["CCSU"], "compressed class space used")
    collectors = {c["name"]: c for c in report["collectors"]}
    check(collectors["G1 Old Generation"]["count"] >= 1, "the full GC we asked for is counted")
    check(report["rss"] > 10 * 1024 * 1024, f"RSS is reported ({report['rss'] // 1024 // 1024} MiB)")
    heap_pools = sum(p["committed"] for p in report["pools"] if p["heap"])
    check(report["heap"]["committed"] == heap_pools,
          f"heap committed ({report['heap']['committed']}) is the sum of the heap pools' ({heap_pools})")
