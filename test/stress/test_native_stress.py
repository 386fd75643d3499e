"""Stress: 1 kHz sampling with native frames by DWARF rules (cstack=dwarf) for 15 s while threads start and end
continuously, call a JNI method, and 40 copies of a JNI library are loaded one after another (each one's unwind
table is built while signals keep arriving). The JVM exits 0, the profile is written, the short-lived threads'
JNI frames are stitched under their Java frames, and stack walks rarely faulted (a fault is recovered and shows as
[agct_fault] or [native_fault]). The copies are loaded but only the first one's code runs: each has its own
table built while sampling goes on, but unloading is not exercised (JNI libraries unload only with their class
loader)."""

import os
import shutil

from hotframe_test import build_dir, check, print_top, read_collapsed, run_java, total, work_dir

directory = work_dir("native_stress")
library = os.path.abspath(os.path.join(build_dir(), "examples", "libhotframe_jni_example.so"))
copies = os.path.join(directory, "copies")
os.makedirs(copies, exist_ok=True)
for i in range(40):
    shutil.copy(library, os.path.join(copies, f"libcopy{i:02d}.so"))

output = os.path.join(directory, "native-churn.collapsed")
run = run_java(f"start,event=cpu,interval=1ms,cstack=dwarf,file={output}", "hotframe.examples.NativeChurn",
               [15, library, copies], timeout=240, cwd=directory)
print(f"exit {run.returncode}, wall {run.wall_seconds:.1f}s\n{run.stdout.strip()}\n{run.stderr.strip()[-1500:]}")
check(run.returncode == 0, "the JVM exited 0 after 15 s of thread churn and library loading at 1 kHz")
check("libraries=40" in run.stdout, "all 40 library copies were loaded while profiling")
stacks = read_collapsed(output)
print_top(stacks)
samples = total(stacks)
check(samples >= 3000, f"{samples} samples in 15 s at 1 kHz (>= 3000)")
stitched = sum(count for frames, count in stacks
               if "hotframe.examples.NativeChurn.work" in frames and frames[-1] == "checksum_block"
               and "Java_hotframe_examples_NativeChecksum_checksum" in frames)
print(f"samples in checksum_block under NativeChurn.work: {stitched}")
check(stitched >= 0.05 * samples, f"short-lived threads' JNI frames are stitched under Java in {stitched} samples")
faults = sum(count for frames, count in stacks if "[agct_fault]" in frames or "[native_fault]" in frames)
check(faults <= 0.01 * samples, f"{faults} samples faulted in the Java or native stack walk (<= 1%)")
