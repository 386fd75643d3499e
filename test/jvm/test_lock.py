"""event=lock on two contended locks of known heat (examples/Locks): a synchronized monitor taken by four threads
for 1 ms each time, and a ReentrantLock taken by two threads for 0.2 ms. Both appear under the methods that
contend, with the lock's class as the leaf, weighted by time waited, and the monitor much wider. A threshold
(lock=DURATION) keeps only the waits at least that long."""

import os

from hotframe_test import (check, collapsed_header, html_leaf_stats, leaf_total, read_collapsed, read_html_data, run_java,
                           work_dir)

MONITOR_CLASS = "java.lang.Object"
REENTRANT_CLASS = "java.util.concurrent.locks.ReentrantLock$NonfairSync"

directory = work_dir("lock")
output = os.path.join(directory, "lock.collapsed")
run = run_java(f"start,event=lock,file={output}", "hotframe.examples.Locks", [5], cwd=directory)
check(run.returncode == 0, f"the JVM exited 0 ({run.stderr.strip()[-300:]})")
check("nanoseconds waited" in collapsed_header(output), f"header: {collapsed_header(output)!r}")
stacks = read_collapsed(output)


monitor = leaf_total(stacks, "Locks.updateUnderMonitor", MONITOR_CLASS)
reentrant = leaf_total(stacks, "Locks.updateUnderReentrantLock", REENTRANT_CLASS)
whole = sum(count for _, count in stacks)
print(f"monitor {monitor / 1e6:.0f} ms, reentrant {reentrant / 1e6:.0f} ms, all {whole / 1e6:.0f} ms")
check(monitor > 0, "the synchronized monitor appears under updateUnderMonitor with java.lang.Object as leaf")
check(reentrant > 0, "the ReentrantLock appears under updateUnderReentrantLock with its sync class as leaf")
check(monitor > 2 * reentrant, "the hotter monitor is the wider one")
check(monitor + reentrant >= 0.95 * whole, "almost all waiting is on the two locks")
# Four threads, each waiting roughly 3 ms for every 1 ms it holds the monitor, over 5 s: seconds of waiting.
check(monitor >= 4e9, f"the monitor's waits add up to seconds ({monitor / 1e9:.1f} s)")

page = os.path.join(directory, "lock-2ms.html")
run = run_java(f"start,lock=2ms,file={page}", "hotframe.examples.Locks", [3], cwd=directory)
check(run.returncode == 0, "lock=2ms: the JVM exited 0")
data = read_html_data(page)
check(data["widthBy"] == "weight", "lock graphs are as wide as the time waited")
for leaf, (samples, weight) in html_leaf_stats(data).items():
    if samples:
        check(weight / samples >= 2e6, f"lock=2ms: waits on {leaf} average {weight / samples / 1e6:.1f} ms (>= 2)")
