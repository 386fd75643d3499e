"""Classes unloaded while profiling do not crash the dump, and their methods keep their names: HotLoop is
loaded in a fresh class loader, run hot and unloaded, five times over, while the agent samples at 1 kHz. Again
with `lines`, which reads each method's line table through JVMTI after the sample: the frames of unloaded
classes keep their lines too."""

import os
import re

from hotframe_test import check, read_collapsed, run_java, share, total, work_dir

directory = work_dir("class_unloading")
for lines in (False, True):
    output = os.path.join(directory, f"unload{'-lines' if lines else ''}.collapsed")
    run = run_java(f"start,event=cpu,interval=1ms,{'lines,' if lines else ''}file={output}",
                   "hotframe.examples.ClassUnloading", [5, 3000], jvm_flags=["-Xlog:class+unload=info"],
                   cwd=directory)
    print(f"lines={lines}: exit {run.returncode}\n{run.stdout.strip()[-600:]}\n{run.stderr.strip()[-600:]}")
    check(run.returncode == 0, "the JVM exited 0")
    check("unloaded=0" not in run.stdout and "generations=5" in run.stdout, "classes were really unloaded")
    check(run.stdout.count("hotframe.examples.unload.HotLoop") >= 1, "the JVM logged unloading HotLoop")
    stacks = read_collapsed(output)
    spin = re.compile(r"hotframe\.examples\.unload\.HotLoop\.spin" + (r":\d+" if lines else ""))
    hot = share(stacks, lambda frames: any(spin.fullmatch(f) for f in frames))
    check(hot >= 0.5, f"HotLoop.spin keeps its name{' and line' if lines else ''} after unloading: {hot:.1%} of "
                      f"{total(stacks)} samples")
    unnamed = share(stacks, lambda frames: "[unloaded_method]" in frames)
    check(unnamed < 0.02, f"samples with an unnamed method: {unnamed:.1%} (< 2%)")
