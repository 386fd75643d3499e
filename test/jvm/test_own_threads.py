"""hotframe's own aggregator thread is not sampled (native/aggregate/own_threads.h): with `threads` at 1 ms, cpu
and wall, no sample has a hotframe thread as its root (before, 1.9-2.3% of all cpu samples did), and the log at
stop says what the aggregator cost instead, in CPU time and as a share of the process's."""

import os
import re

from hotframe_test import check, read_collapsed, run_java, work_dir

directory = work_dir("own_threads")
output = os.path.join(directory, "own-%e.collapsed")
result = run_java(f"start,event=cpu,interval=1ms,wall=5ms,threads,file={output},loglevel=info",
                  "hotframe.examples.HighlightApp", ["naive", 60_000, 2], cwd=directory)
check(result.returncode == 0, f"the JVM exited 0 ({result.stderr.strip()[-300:]})")
for event in ("cpu", "wall"):
    stacks = read_collapsed(os.path.join(directory, f"own-{event}.collapsed"))
    whole = sum(count for _, count in stacks)
    # The aggregator: attached to the JVM as "hotframe aggregator" (its kernel name is "hf aggregator"). The
    # agent's other threads (the wall engine's "hf wall clock", a window's) are still cpu-sampled, and counted.
    own = sum(count for frames, count in stacks
              if frames and frames[0].startswith(("[hotframe aggregator", "[hf aggregator")))
    others = sum(count for frames, count in stacks if frames and frames[0].startswith(("[hotframe ", "[hf ")))
    print(f"REPORT {event}: {others - own} samples on hotframe's other threads of {whole}")
    workers = sum(count for frames, count in stacks if frames and frames[0].startswith("[highlight-worker-"))
    # Wall samples spread over every thread, idle ones too; cpu samples go mostly to the two busy workers.
    share = 0.3 if event == "cpu" else 0.0
    check(workers > share * whole, f"{event}: the workers hold {workers} of {whole} samples (> {share:.0%})")
    check(own == 0, f"{event}: {own} samples on hotframe's aggregator thread (none)")
logged = re.search(r"hotframe's aggregator thread is not sampled; it used ([\d.]+) ms of CPU in this session "
                   r"\(([\d.]+)% of the process's ([\d.]+) s\)", result.stderr)
check(logged is not None, "the log says the aggregator is not sampled and what it cost")
check(float(logged.group(1)) > 0 and float(logged.group(3)) > 0,
      f"its CPU ({logged.group(1)} ms) and the process's ({logged.group(3)} s) were measured")
