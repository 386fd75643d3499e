"""Stress for the vm walker (cstack=vm): 1 kHz for 20 s while WalkerStress changes compiled code and classes under
it all the time, and the test proves from the JVM's own -Xlog output that each change happened:
- class unloading: a generation of hotframe.examples.stress.* classes per 200 ms, each unloaded later
  (class+unload: "unloading class hotframe.examples.stress...");
- redefinition: a java agent built here (test/stress/redefine_agent, javac and jar of the JDK under test)
  redefines Redefined every 20 ms while a thread runs its hot method (redefine+class+load: "redefined");
- deoptimization: each generation loads Circle, a second subclass of Shape, which breaks the CHA dependency of
  the C2-compiled ShapeLoop.spin (jit+compilation: a tier-4 spin "made not entrant");
- code-cache flushing: a 3 MB code cache and forty small methods compiled per generation; the code cache's use
  falls below its peak once nmethods are flushed (compilation+codecache: "used=" under "max_used=");
- thread churn: 20 short-lived threads started and ended continuously.
The JVM must exit 0, the profile be written with samples for most of the CPU, and walk faults ([vm_walk_fault])
be under 0.1% of the samples. The same tags exist on JDK 17 and 25."""

import os
import re
import subprocess

from hotframe_test import check, failed_walk, java_home, print_top, read_collapsed, run_java_measured, total, work_dir

SECONDS = 20
XLOG_TAGS = "class+unload=info,redefine+class+load=info,jit+compilation=debug,compilation+codecache=debug"

directory = work_dir("walker_stress")


def build_redefine_agent():
    """The java agent jar, compiled from test/stress/redefine_agent by the JDK under test."""
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "redefine_agent", "RedefineAgent.java")
    classes = os.path.join(directory, "agent-classes")
    os.makedirs(classes)
    bin_dir = os.path.join(java_home(), "bin")
    subprocess.run([os.path.join(bin_dir, "javac"), "--release", "17", "-d", classes, source], check=True)
    manifest = os.path.join(directory, "manifest.txt")
    with open(manifest, "w") as f:
        f.write("Premain-Class: RedefineAgent\nCan-Redefine-Classes: true\n")
    jar = os.path.join(directory, "redefine-agent.jar")
    subprocess.run([os.path.join(bin_dir, "jar"), "cfm", jar, manifest, "-C", classes, "RedefineAgent.class"],
                   check=True)
    return jar


agent_jar = build_redefine_agent()
output = os.path.join(directory, "stress.collapsed")
xlog = os.path.join(directory, "xlog.txt")
flags = [f"-javaagent:{agent_jar}=hotframe.examples.stress.Redefined,20", "-XX:ReservedCodeCacheSize=3m",
         f"-Xlog:{XLOG_TAGS}:file={xlog}"]
run = run_java_measured(f"start,event=cpu,interval=1ms,cstack=vm,file={output},loglevel=info",
                        "hotframe.examples.WalkerStress", [SECONDS, 20], jvm_flags=flags, timeout=240, cwd=directory)
print(f"--- exit {run.returncode}, wall {run.wall_seconds:.1f}s, cpu {run.cpu_seconds:.1f}s\n{run.stdout.strip()}\n"
      f"{run.stderr.strip()[-3000:]}")
check(run.returncode == 0, f"the JVM exited 0 after {SECONDS}s of stress at 1 kHz")
check("Java stack walker: vm" in run.stderr, "the vm walker ran")
finished = re.search(r"generations=(\d+) unloaded=(\d+) threads_started=(\d+)", run.stdout)
check(finished is not None, "WalkerStress finished and said what it did")
generations, threads_started = int(finished.group(1)), int(finished.group(3))

with open(xlog, errors="replace") as f:
    log = f.read()
unloaded = len(re.findall(r"unloading class hotframe\.examples\.stress\.", log))
redefined = len(re.findall(r"redefined name=hotframe\.examples\.stress\.Redefined", log))
deoptimized = len(re.findall(r"\s4\s+hotframe\.examples\.stress\.ShapeLoop::spin \(.*made not entrant", log))
code_cache = [(int(used), int(peak)) for used, peak in re.findall(r"CodeCache: size=\d+Kb used=(\d+)Kb max_used=(\d+)Kb",
                                                                   log)]
freed_kb = max((peak - used for used, peak in code_cache), default=0)
print(f"REPORT stress: {generations} generations, {unloaded} classes unloaded, {redefined} redefinitions, "
      f"{deoptimized} deoptimized tier-4 ShapeLoop.spin, code cache {freed_kb} KB below its peak at most, "
      f"{threads_started} threads started")
check(unloaded >= 10, f"class+unload: {unloaded} stress classes unloaded (>= 10)")
check(redefined >= 10, f"redefine+class+load: Redefined redefined {redefined} times (>= 10)")
check(deoptimized >= 3, f"jit+compilation: a C2-compiled ShapeLoop.spin made not entrant {deoptimized} times (>= 3)")
check(freed_kb >= 64, f"compilation+codecache: the code cache's use fell {freed_kb} KB below its peak (>= 64 KB: "
                      f"nmethods were flushed)")
check(threads_started >= 500, f"{threads_started} short-lived threads started (>= 500)")

stacks = read_collapsed(output)
print_top(stacks, 12)
samples = total(stacks)
# The per-thread timers are armed at ThreadStart: the CPU a new thread spends before it is not sampled (see
# test_thread_churn.py), so the bound is under one sample per ms of the JVM's CPU (measured: 86-87% on 17 and 25).
check(samples >= 0.5 * run.cpu_seconds * 1000,
      f"the profile has {samples} samples for {run.cpu_seconds:.1f}s of CPU (>= 50% of one per ms)")
faults = total([(frames, count) for frames, count in stacks if "[vm_walk_fault]" in frames])
lost = total([(frames, count) for frames, count in stacks
              if any(failed_walk(f) and f != "[vm_walk_fault]" for f in frames)])
print(f"REPORT stress: {samples} samples, walk faults {faults} ({faults / samples:.3%}), "
      f"unknown/unwalkable/broken {lost} ({lost / samples:.2%})")
check(faults < 0.001 * samples, f"walk faults are {faults / samples:.3%} of the samples (< 0.1%)")
