"""A compiled frame waiting for its deoptimization (issue #16, item 4: deoptimization is survivable and walked).
In DeoptPending the worker's compiled outer calls hold, which spins for 3 s of its CPU; the main thread then loads a
second subclass, which breaks what outer was compiled under (-XX:+PrintCompilation shows outer's C2 code made not
entrant between the example's lines around the load), and HotSpot points the return address of outer's frame at its deopt handler until hold returns. The pc
the frame really returns to is kept in the frame, at an offset each nmethod records. Every sample of hold after
the load walks through that frame:
- cstack=vm (with `lines`): >= 99% of hold's samples have outer, at the line of its call of hold, and the thread's
  lambda below it. The walker read the saved pc from the field's own offset in the nmethod before: 0.5-1.2% of
  those samples passed (on JDK 25 the rest broke at outer, on JDK 17 they named outer at its entry, no line);
- cstack=dwarf (AsyncGetCallTrace): the same figure, reported only."""

import os
import re

from hotframe_test import check, read_collapsed, run_java, total, work_dir

SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "src", "hotframe",
                      "examples", "DeoptPending.java")
FLAGS = ["-Xbatch", "-XX:+PrintCompilation", "-XX:CompileCommand=quiet",
         "-XX:CompileCommand=dontinline,hotframe.examples.DeoptPending::hold"]

directory = work_dir("vm_deopt_pending")


def hold_call_line():
    """The line of outer's call of hold, from the example's source."""
    with open(SOURCE, encoding="utf-8") as source:
        rows = source.read().split("\n")
    return next(i + 1 for i, row in enumerate(rows) if "return acc + hold(spinNanos);" in row)


def hold_samples(cstack):
    """(samples in hold, those with outer, at its call of hold, and the worker's lambda right below it)."""
    output = os.path.join(directory, f"deopt-{cstack}.collapsed")
    outer = f"DeoptPending.outer:{hold_call_line()}"
    run = run_java(f"start,event=cpu,interval=1ms,threads,lines,cstack={cstack},file={output}",
                   "hotframe.examples.DeoptPending", [3], jvm_flags=FLAGS, cwd=directory)
    print(f"--- cstack={cstack}: exit {run.returncode}\n{run.stderr.strip()}")
    check(run.returncode == 0 and "Circle loaded" in run.stdout, f"cstack={cstack}: the JVM ran and exited 0")
    # Between the example's lines around the load: an earlier invalidation (a trap in the warm-up) would leave the
    # long call in code that no load patches, and the walk would pass with or without the fix.
    lines = run.stdout.splitlines()
    loading = next((i for i, line in enumerate(lines) if "deopt: loading Circle" in line), len(lines))
    loaded = next((i for i, line in enumerate(lines) if "deopt: Circle loaded" in line), len(lines))
    invalidated = [line for line in lines[loading:loaded]
                   if re.search(r"\s4\s+hotframe\.examples\.DeoptPending::outer \(", line) and "made not entrant" in line]
    print("\n".join(invalidated))
    check(invalidated, f"cstack={cstack}: loading Circle made outer's C2 code not entrant (PrintCompilation)")
    worker = [(frames, count) for frames, count in read_collapsed(output) if frames[0].startswith("[deopt-pending")]
    in_hold = walked = 0
    for frames, count in worker:
        at = next((i for i, frame in enumerate(frames) if "DeoptPending.hold:" in frame), None)
        if at is None:
            continue
        in_hold += count
        if at >= 2 and frames[at - 1].endswith(outer) and "lambda$main$" in frames[at - 2]:
            walked += count
    print(f"REPORT cstack={cstack}: {walked} of {in_hold} samples in hold have {outer} and the lambda below "
          f"({walked / max(in_hold, 1):.1%}), of the worker's {total(worker)}")
    return in_hold, walked


hold_samples("dwarf")
in_hold, walked = hold_samples("vm")
check(in_hold >= 1000, f"vm: {in_hold} samples in hold (>= 1000)")
check(walked >= 0.99 * in_hold, f"vm: {walked} of {in_hold} samples in hold walk through outer's frame (>= 99%)")
