"""Names a person recognises. An allocation-heavy program with a small heap keeps G1's worker threads busy; their
stacks start in libc. With Debian's libc6-dbg installed, libc's functions are named from its separate debug file
(found by build id under /usr/lib/debug): GC workers' stacks start at clone3 or start_thread in >= 95% of their
samples, where debuginfo=off leaves libc.so.6+0x... there. C++ frames are shown without parameter lists
(Thread::call_run); sig keeps them (Thread::call_run()) and gives Java frames their descriptors. Without
libc6-dbg the libc checks skip, saying so."""

import os
import re
import subprocess

from hotframe_test import check, read_collapsed, run_java, skip, work_dir

directory = work_dir("debug_names")
FLAGS = ["-Xmx64m", "-XX:+UseG1GC"]
LIBC = "/lib/x86_64-linux-gnu/libc.so.6"


def profile(name, options=""):
    output = os.path.join(directory, f"{name}.collapsed")
    run = run_java(f"start,event=cpu,interval=5ms,threads,{options}file={output}", "hotframe.examples.Allocations",
                   [3], jvm_flags=FLAGS, cwd=directory)
    check(run.returncode == 0, f"{name}: the JVM exited 0 ({run.stderr.strip()[-300:]})")
    return read_collapsed(output), run.stderr


def gc_outermost_native_frames(stacks):
    """For each GC worker sample, its outermost native frame (the first after the thread and status frames)."""
    outermost = {}
    for frames, count in stacks:
        if not frames[0].startswith("[GC Thread"):
            continue
        native = [f for f in frames[1:] if not f.startswith("[")]
        if native:
            outermost[native[0]] = outermost.get(native[0], 0) + count
    return outermost


def libc_debug_file():
    """The path of libc's separate debug file by build id, or why there is none."""
    try:
        notes = subprocess.run(["readelf", "-n", LIBC], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        return None, f"cannot read libc's build id ({error})"
    match = re.search(r"Build ID: ([0-9a-f]{4,})", notes)
    if not match:
        return None, f"{LIBC} has no build id"
    build_id = match.group(1)
    path = f"/usr/lib/debug/.build-id/{build_id[:2]}/{build_id[2:]}.debug"
    return (path, "") if os.path.exists(path) else (None, f"no {path}: libc6-dbg is not installed")


# Short C++ names by default, full ones with sig; Java descriptors only with sig.
stacks, log = profile("default")
frames = {f for frame_list, _ in stacks for f in frame_list}
check("Thread::call_run" in frames and "Thread::call_run()" not in frames,
      "by default C++ frames have no parameter list (Thread::call_run)")
with_parameters = sorted(f for f in frames if f.endswith(")") and not f.endswith("operator()") and "::" in f
                         and not f.startswith("["))
check(not with_parameters, f"no C++ frame ends in a parameter list ({with_parameters[:3]})")
check(any(f.startswith("hotframe.examples.Allocations.") and "(" not in f for f in frames),
      "Java frames carry no descriptor by default")

sig_stacks, _ = profile("sig", "sig,")
sig_frames = {f for frame_list, _ in sig_stacks for f in frame_list}
check("Thread::call_run()" in sig_frames, "sig: C++ frames keep their parameter lists (Thread::call_run())")
described = sorted(f for f in sig_frames if f.startswith("hotframe.examples.Allocations.") and "(" in f)
print(f"sig: Java frames such as {described[:2]}")
check(described, "sig: Java frames carry their descriptors")

# libc's own functions, from libc6-dbg.
debug_file, why = libc_debug_file()
if debug_file is None:
    skip(f"libc's names from its separate debug file: {why}")
outermost = gc_outermost_native_frames(stacks)
gc_samples = sum(outermost.values())
started = outermost.get("clone3", 0) + outermost.get("start_thread", 0)
print(f"GC worker samples by outermost native frame: {sorted(outermost.items(), key=lambda e: -e[1])[:4]}")
check(gc_samples > 0 and started >= 0.95 * gc_samples,
      f"{started} of {gc_samples} GC worker samples start at clone3 or start_thread (>= 95%)")
check(re.search(r"separate debug files: [1-9]\d* objects?: ", log) is not None,
      "the log says how many objects got names from separate debug files")
check("libc.so.6" in next((line for line in log.splitlines() if "separate debug files" in line), ""),
      "the log names libc.so.6 among them")

off_stacks, off_log = profile("off", "debuginfo=off,")
off_outermost = gc_outermost_native_frames(off_stacks)
off_samples = sum(off_outermost.values())
by_offset = sum(count for name, count in off_outermost.items() if name.startswith("libc.so.6+0x"))
check(off_samples > 0 and by_offset >= 0.95 * off_samples,
      f"debuginfo=off: {by_offset} of {off_samples} GC worker samples start at libc.so.6+0x... (>= 95%)")
check("debuginfo=off" in off_log, "debuginfo=off: the log says debug files were not read")
