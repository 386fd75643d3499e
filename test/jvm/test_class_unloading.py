"""Classes unloaded while profiling do not crash the dump, and their methods keep their names: HotLoop is
loaded in a fresh class loader, run hot and unloaded, five times over, while the agent samples at 1 kHz."""

import os

from hotframe_test import check, read_collapsed, run_java, share, total, work_dir

directory = work_dir("class_unloading")
output = os.path.join(directory, "unload.collapsed")
run = run_java(f"start,event=cpu,interval=1ms,file={output}", "hotframe.examples.ClassUnloading", [5, 3000],
               jvm_flags=["-Xlog:class+unload=info"], cwd=directory)
print(f"exit {run.returncode}\n{run.stdout.strip()[-600:]}\n{run.stderr.strip()[-600:]}")
check(run.returncode == 0, "the JVM exited 0")
check("unloaded=0" not in run.stdout and "generations=5" in run.stdout, "classes were really unloaded")
check(run.stdout.count("hotframe.examples.unload.HotLoop") >= 1, "the JVM logged unloading HotLoop")
stacks = read_collapsed(output)
hot = share(stacks, lambda frames: any(f == "hotframe.examples.unload.HotLoop.spin" for f in frames))
check(hot >= 0.5, f"HotLoop.spin keeps its name after unloading: {hot:.1%} of {total(stacks)} samples")
unnamed = share(stacks, lambda frames: "[unloaded_method]" in frames)
check(unnamed < 0.02, f"samples with an unnamed method: {unnamed:.1%} (< 2%)")
