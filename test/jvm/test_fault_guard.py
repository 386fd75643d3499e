"""A fault inside the stack walk does not kill the JVM: with HOTFRAME_INJECT_FAULT_EVERY=3 every third walk
faults on purpose where AsyncGetCallTrace runs; the JVM finishes its work and exits 0, those samples are
counted as [agct_fault], and the rest of the profile is intact."""

import os

from hotframe_test import check, read_collapsed, run_java, share, total, work_dir

directory = work_dir("fault_guard")
output = os.path.join(directory, "faults.collapsed")
os.environ["HOTFRAME_INJECT_FAULT_EVERY"] = "3"
run = run_java(f"start,event=cpu,interval=1ms,file={output}", "hotframe.examples.HighlightApp", ["naive", 300_000],
               cwd=directory)
print(f"exit {run.returncode}\n{run.stderr.strip()}")
check(run.returncode == 0 and "mode=naive" in run.stdout, "the JVM finished its work and exited 0")
stacks = read_collapsed(output)
faults = share(stacks, lambda frames: frames == ["[agct_fault]"])
check(0.25 <= faults <= 0.40, f"[agct_fault] holds {faults:.1%} of {total(stacks)} samples (about a third)")
compile_share = share(stacks, lambda frames: any("Pattern.compile" in f for f in frames))
check(compile_share >= 0.15, f"the other samples still show Pattern.compile ({compile_share:.1%})")
