"""A fault inside the stack walk does not kill the JVM: with HOTFRAME_INJECT_FAULT_EVERY=3 every third walk
faults on purpose where the Java walk runs (AsyncGetCallTrace with cstack=dwarf, the vm walker with cstack=vm);
the JVM finishes its work and exits 0, those samples are counted as [agct_fault] or [vm_walk_fault], and the
rest of the profile is intact."""

import os

from hotframe_test import check, read_collapsed, run_java, share, total, work_dir

directory = work_dir("fault_guard")
os.environ["HOTFRAME_INJECT_FAULT_EVERY"] = "3"
for cstack, fault_frame in (("dwarf", "[agct_fault]"), ("vm", "[vm_walk_fault]")):
    output = os.path.join(directory, f"faults-{cstack}.collapsed")
    run = run_java(f"start,event=cpu,interval=1ms,cstack={cstack},file={output}", "hotframe.examples.HighlightApp",
                   ["naive", 300_000], cwd=directory)
    print(f"cstack={cstack}: exit {run.returncode}\n{run.stderr.strip()}")
    check(run.returncode == 0 and "mode=naive" in run.stdout, f"cstack={cstack}: the JVM finished its work, exit 0")
    stacks = read_collapsed(output)
    faults = share(stacks, lambda frames: frames == [fault_frame])
    check(0.25 <= faults <= 0.40, f"cstack={cstack}: {fault_frame} holds {faults:.1%} of {total(stacks)} samples "
                                  f"(about a third)")
    compile_share = share(stacks, lambda frames: any("Pattern.compile" in f for f in frames))
    check(compile_share >= 0.15, f"cstack={cstack}: the other samples still show Pattern.compile ({compile_share:.1%})")
