"""Every thread by the name jcmd shows. The thread dump names each thread that `jcmd <pid> Thread.print` names, with
the same name, including the threads JVMTI hides (C2 CompilerThread0, Monitor Deflation Thread, VM Thread,
G1 Conc#0), whose kernel names are cut to 15 characters. A `threads` profile has roots such as
[C2 CompilerThread0 tid=N], and include=/exclude= match those names. Samples of threads without Java frames whose
native stack was walked to the thread's start carry no [unknown_not_Java] or [non_Java_thread] label. The same
names come through the DiagnosticCommand MBean, the route taken where libjvm has no symbol table."""

import os
import re
import subprocess

from hotframe_test import RunningJava, check, java_home, read_collapsed, run_java, run_launcher, work_dir

directory = work_dir("thread_names")
FLAGS = ["-Xmx64m", "-XX:+UseG1GC"]
# Names the JVM gives its own threads, each longer than the kernel's 15 bytes.
LONG_NAMES = ["C2 CompilerThread0", "C1 CompilerThread0", "Monitor Deflation Thread", "VM Periodic Task Thread"]
STATUS_LABELS = {"[unknown_not_Java]", "[not_walkable_not_Java]", "[non_Java_thread]", "[no_Java_frame]"}
THREAD_START = {"clone3", "start_thread"}
JVM_INTERNAL = re.compile(r"^\[(C[12] CompilerThread\d+|GC Thread#\d+|G1 .*|VM Thread|VM Periodic Task Thread|"
                          r"Service Thread|Monitor Deflation Thread|Sweeper thread) tid=\d+\]$")


def listed_threads(text):
    """{native id: name} from jstack-layout text: jcmd's (hex nid up to JDK 20, decimal since) or ours."""
    threads = {}
    for line in text.splitlines():
        name = re.match(r'^"(.*?)" (?:#\d|daemon |prio=|os_prio=|nid=)', line)
        nid = re.search(r" nid=(0x[0-9a-f]+|\d+)(?: |$)", line)
        if name and nid:
            threads[int(nid.group(1), 0)] = name.group(1)
    return threads


def our_dump(pid):
    result = run_launcher("threaddump", pid)
    check(result.returncode == 0, "threaddump succeeds")
    return listed_threads(result.stdout)


# 1. The thread dump against jcmd, taken between two of ours: a thread jcmd lists that ours do not must have
# started after the first and ended before the second.
with RunningJava("hotframe.examples.Deadlocks", ["none", 20], jvm_flags=FLAGS) as jvm:
    before = our_dump(jvm.pid)
    jcmd_text = subprocess.run([os.path.join(java_home(), "bin", "jcmd"), str(jvm.pid), "Thread.print"],
                               capture_output=True, text=True, timeout=60).stdout
    after = our_dump(jvm.pid)
    jcmd = listed_threads(jcmd_text)
    check(len(jcmd) >= 20, f"jcmd lists {len(jcmd)} threads")
    wrong = {nid: (name, before.get(nid, after.get(nid))) for nid, name in jcmd.items()
             if name != before.get(nid, after.get(nid, name))}
    check(not wrong, f"every thread both list has the same name in both ({wrong})")
    missing = {nid: name for nid, name in jcmd.items() if nid not in before and nid not in after}
    still_there = {nid: name for nid, name in missing.items() if os.path.exists(f"/proc/{jvm.pid}/task/{nid}")}
    check(not still_there, f"jcmd's threads are all in our dump, but for threads that came and went ({missing})")
    named = {name for name in before.values()}
    for name in LONG_NAMES[:3] + ["VM Thread", "Service Thread", "G1 Conc#0"]:
        check(name in named, f"the dump names '{name}' as jcmd does")

# 2. A threads profile: roots by the JVM's names, no cut-off ones.
output = os.path.join(directory, "threads.collapsed")
run = run_java(f"start,event=cpu,interval=1ms,threads,file={output}", "hotframe.examples.Allocations", [3],
               jvm_flags=FLAGS, cwd=directory)
check(run.returncode == 0, f"the JVM exited 0 ({run.stderr.strip()[-300:]})")
stacks = read_collapsed(output)
roots = {frames[0] for frames, _ in stacks}
compilers = sorted(root for root in roots if re.match(r"^\[C[12] CompilerThread\d+ tid=\d+\]$", root))
print(f"{sum(count for _, count in stacks)} samples; roots: {sorted(roots)}")
check(compilers, f"the JIT compiler threads' roots carry their full names ({compilers})")
cut = sorted(root for root in roots if any(root.startswith(f"[{name[:15]} ") for name in LONG_NAMES))
check(not cut, f"no root has a name cut to the kernel's 15 bytes ({cut})")

# 3. Samples of JVM-internal threads: a label only where the native walk stopped short of the thread's start.
internal = [(frames, count) for frames, count in stacks if JVM_INTERNAL.match(frames[0])]
internal_samples = sum(count for _, count in internal)
# Root first: [thread];[label];outermost native frame;...;leaf. A walk that reached the thread's first frame starts
# at clone3 or start_thread (libc's names, from libc6-dbg; without it nothing is found here and only the share
# below is checked); one that stopped in generated code or lost the chain does not.
labelled_whole = [frames for frames, _ in internal
                  if len(frames) > 2 and frames[1] in STATUS_LABELS and frames[2] in THREAD_START]
labelled = sum(count for frames, count in internal if STATUS_LABELS & set(frames))
print(f"JVM-internal threads: {internal_samples} samples, {labelled} with a status label")
check(internal_samples > 0, "the JVM-internal threads have samples")
check(not labelled_whole, f"no fully walked stack has a status label ({[f[:4] for f in labelled_whole[:3]]})")
check(labelled <= 0.05 * internal_samples, f"{labelled} of {internal_samples} samples keep a label (<= 5%)")

# 4. Filters match the JVM's names: include keeps only C2's compiler threads, exclude drops a whole name that the
# kernel's cut-off name would not match.
# Without tiered compilation C2 compiles everything, start-up included: its threads have samples in every run.
output = os.path.join(directory, "c2.collapsed")
run = run_java(f"start,event=cpu,interval=1ms,threads,include=C2 Compiler*,file={output}",
               "hotframe.examples.Allocations", [3], jvm_flags=FLAGS + ["-XX:-TieredCompilation"], cwd=directory)
check(run.returncode == 0, f"include: the JVM exited 0 ({run.stderr.strip()[-300:]})")
c2 = read_collapsed(output)
c2_roots = sorted({frames[0].split(" tid=")[0] + "]" for frames, _ in c2})
check(c2 and all(re.match(r"^\[C2 CompilerThread\d+\]$", root) for root in c2_roots),
      f"include=C2 Compiler*: {sum(count for _, count in c2)} samples, all of C2's threads ({c2_roots})")

output = os.path.join(directory, "no_c1.collapsed")
run = run_java(f"start,event=cpu,interval=1ms,threads,exclude=C1 CompilerThread0,file={output}",
               "hotframe.examples.Allocations", [3], jvm_flags=FLAGS, cwd=directory)
check(run.returncode == 0, f"exclude: the JVM exited 0 ({run.stderr.strip()[-300:]})")
no_c1 = read_collapsed(output)
c1_roots = sorted({frames[0] for frames, _ in no_c1 if frames[0].startswith("[C1 Compiler")})
check(no_c1 and not c1_roots, f"exclude=C1 CompilerThread0 drops that thread's samples ({c1_roots})")

# 5. The fallback through the DiagnosticCommand MBean (forced by a test hook) names the same threads. Its first
# list loads management classes for a few hundred milliseconds, during which samples wait: 2 ms, not 1 ms.
os.environ["HOTFRAME_THREAD_LIST_VIA_MBEAN"] = "1"
output = os.path.join(directory, "mbean.collapsed")
run = run_java(f"start,event=cpu,interval=2ms,threads,file={output}", "hotframe.examples.Allocations", [3],
               jvm_flags=FLAGS, cwd=directory)
del os.environ["HOTFRAME_THREAD_LIST_VIA_MBEAN"]
check(run.returncode == 0 and "through the DiagnosticCommand MBean" in run.stderr,
      f"MBean route: the JVM exited 0 and the hook was taken ({run.stderr.strip()[-300:]})")
roots = {frames[0] for frames, _ in read_collapsed(output)}
cut = sorted(root for root in roots if any(root.startswith(f"[{name[:15]} ") for name in LONG_NAMES))
named = sorted(root for root in roots if any(root.startswith(f"[{name} ") for name in LONG_NAMES))
check(named and not cut, f"MBean route: roots by the JVM's names ({named}), none cut to 15 bytes ({cut})")
