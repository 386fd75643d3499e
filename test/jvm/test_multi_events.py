"""Several events in one session, each in its own file: at start-up (%e in the file name) and by attach through
the launcher (-e with several events, --alloc, --lock), with a thread filter that applies to every event."""

import glob
import os

from hotframe_test import (RunningJava, check, collapsed_header, read_collapsed, run_java, run_launcher, total,
                           work_dir)

directory = work_dir("multi_events")

pattern = os.path.join(directory, "start-%e.collapsed")
run = run_java(f"start,event=cpu,alloc=64k,lock=10us,file={pattern}", "hotframe.examples.Locks", [3, "allocate"],
               cwd=directory)
check(run.returncode == 0, f"the JVM exited 0 ({run.stderr.strip()[-300:]})")
files = {event: pattern.replace("%e", event) for event in ("cpu", "alloc", "lock")}
for event, path in files.items():
    check(os.path.exists(path), f"{event}: {os.path.basename(path)} was written")
    check(collapsed_header(path).startswith(f"# hotframe {event} profile"), f"{event}: its header names it")
cpu = read_collapsed(files["cpu"])
alloc = read_collapsed(files["alloc"])
lock = read_collapsed(files["lock"])
check(sum(c for f, c in cpu if any("Locks.burn" in x for x in f)) >= 0.5 * total(cpu),
      "cpu: the spinning under the locks is most of the CPU")
check(sum(c for f, c in alloc if f[-1] == "byte[]" and any("updateUnderMonitor" in x for x in f)) >= 0.5 * total(alloc),
      "alloc: byte[] under updateUnderMonitor is most of the allocation")
check(sum(c for f, c in lock if f[-1] == "java.lang.Object") >= 0.5 * total(lock),
      "lock: the monitor is most of the waiting")
check(not any(f[-1] in ("byte[]", "java.lang.Object") for f, _ in cpu), "cpu has no class leaves of the other events")

# Attached, through the launcher, with a thread filter: only the monitor workers, in every event.
with RunningJava("hotframe.examples.Locks", [60, "allocate"]) as jvm:
    result = run_launcher("-d", "3", "-e", "wall,alloc,lock", "--alloc", "64k", "-t", "-I", "monitor-worker-*",
                          "-f", "attached-%e.collapsed", jvm.pid, cwd=directory)
    check(result.returncode == 0, "the launcher's -d 3 with three events worked")
    written = sorted(glob.glob(os.path.join(directory, "attached-*.collapsed")))
    check([os.path.basename(p) for p in written] == ["attached-alloc.collapsed", "attached-lock.collapsed",
                                                       "attached-wall.collapsed"], f"one file per event: {written}")
    for path in written:
        check(f"wrote {path}" in result.stdout, f"the launcher says it wrote {os.path.basename(path)}")
        stacks = read_collapsed(path)
        check(total(stacks) > 0, f"{os.path.basename(path)} has samples")
        roots = {frames[0].split(" tid=")[0] for frames, _ in stacks}
        check(all(root.startswith("[monitor-worker-") for root in roots),
              f"{os.path.basename(path)}: only monitor workers ({sorted(roots)[:4]})")
    check(jvm.alive(), "the JVM is still running")
