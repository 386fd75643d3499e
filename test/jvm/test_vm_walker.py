"""The Java stack walker over HotSpot's structures (cstack=vm), on the regex example's two worker threads at 1 ms
with `threads`:
- cstack=dwarf (AsyncGetCallTrace): the shares of highlightNaive and of unknown/unwalkable samples, reported only;
- cstack=vm: highlightNaive holds >= 97% of the workers' samples, unknown/unwalkable <= 1%, and frame kinds come
  from the walk (interpreted and compiled frames of the workers' own code);
- cstack=vm,vmcheck: each sample walked both ways; the Java frames agree in >= 99% of the samples where
  AsyncGetCallTrace found frames;
- HOTFRAME_HIDE_VMSTRUCT hides one table entry: the agent walks with AsyncGetCallTrace and the log names it."""

import os
import re

from hotframe_test import check, failed_walk, print_top, read_collapsed, run_java, total, work_dir

INTERVAL = "1ms"
ITERATIONS = 150_000  # per worker: about 2-3 s of CPU each
WORKERS = 2

directory = work_dir("vm_walker")



def run(name, cstack, env=None):
    output = os.path.join(directory, f"{name}.collapsed")
    options = f"start,event=cpu,interval={INTERVAL},threads,{cstack},file={output},loglevel=info"
    previous = {}
    for key, value in (env or {}).items():
        previous[key] = os.environ.get(key)
        os.environ[key] = value
    try:
        result = run_java(options, "hotframe.examples.HighlightApp", ["naive", ITERATIONS, WORKERS], cwd=directory)
    finally:
        for key, value in previous.items():
            if value is None:
                del os.environ[key]
            else:
                os.environ[key] = value
    print(f"--- {name} ({cstack}): exit {result.returncode}\n{result.stderr.strip()}")
    check(result.returncode == 0, f"{name}: JVM exited 0")
    return result, read_collapsed(output)


def worker_shares(name, stacks):
    workers = [(frames, count) for frames, count in stacks if frames and frames[0].startswith("[highlight-worker-")]
    samples = total(workers)
    check(samples >= 500, f"{name}: {samples} samples of the worker threads (>= 500)")
    naive = sum(count for frames, count in workers if any("HighlightService.highlightNaive" in f for f in frames))
    failed = sum(count for frames, count in workers if any(failed_walk(f) for f in frames))
    print_top(workers)
    return naive / samples, failed / samples


dwarf_result, dwarf_stacks = run("dwarf", "cstack=dwarf")
dwarf_naive, dwarf_failed = worker_shares("dwarf", dwarf_stacks)
print(f"REPORT cstack=dwarf: highlightNaive {dwarf_naive:.2%} of the workers' samples, "
      f"unknown/unwalkable {dwarf_failed:.2%}")

vm_result, vm_stacks = run("vm", "cstack=vm")
check("Java stack walker: vm" in vm_result.stderr, "vm: the log says the vm walker runs")
vm_naive, vm_failed = worker_shares("vm", vm_stacks)
print(f"REPORT cstack=vm: highlightNaive {vm_naive:.2%} of the workers' samples, unknown/unwalkable {vm_failed:.2%}")
check(vm_naive >= 0.97, f"vm: highlightNaive holds {vm_naive:.2%} of the workers' samples (>= 97%)")
check(vm_failed <= 0.01, f"vm: unknown/unwalkable {vm_failed:.2%} of the workers' samples (<= 1%)")
# Kinds come from the walk: the workers' hot loop runs compiled, with some frames inlined into it.
kinds_output = os.path.join(directory, "vm-kinds.collapsed")
kinds_result = run_java(f"start,event=cpu,interval={INTERVAL},cstack=vm,ann,file={kinds_output}",
                        "hotframe.examples.HighlightApp", ["naive", ITERATIONS // 2, 1], cwd=directory)
check(kinds_result.returncode == 0, "vm with ann: JVM exited 0")
kinds = read_collapsed(kinds_output)
inlined = sum(count for frames, count in kinds if any(f.endswith("_[i]") for f in frames))
check(inlined / total(kinds) >= 0.3, f"vm: {inlined / total(kinds):.1%} of the samples have an inlined frame (>= 30%)")

check_result, _ = run("vmcheck", "cstack=vm,vmcheck")
line = re.search(r"vmcheck: (\d+) samples walked by AsyncGetCallTrace; vm walk: same methods (\d+) \(([\d.]+)%\), "
                 r"same methods and bcis (\d+) \(([\d.]+)%\)", check_result.stderr)
check(line is not None, "vmcheck: the agent logs how often the walks agreed")
compared, same_methods, same_bcis = int(line.group(1)), int(line.group(2)), int(line.group(4))
check(compared >= 500, f"vmcheck: {compared} samples compared (>= 500)")
print(f"REPORT vmcheck: same methods {same_methods / compared:.2%}, same methods and bcis "
      f"{same_bcis / compared:.2%} of {compared}")
check(same_methods / compared >= 0.99,
      f"vmcheck: the vm walk found AsyncGetCallTrace's Java frames in {same_methods / compared:.2%} (>= 99%)")

hidden_result, hidden_stacks = run("hidden", "cstack=vm", env={"HOTFRAME_HIDE_VMSTRUCT": "JavaThread::_anchor"})
check("not vm: layout entry missing: JavaThread::_anchor" in hidden_result.stderr,
      "hidden entry: the log names JavaThread::_anchor and the walker falls back to AsyncGetCallTrace")
hidden_naive, _ = worker_shares("hidden", hidden_stacks)
check(hidden_naive >= 0.5, f"hidden entry: AsyncGetCallTrace still walks (highlightNaive {hidden_naive:.1%})")

constant_result, _ = run("hidden_constant", "cstack=vm",
                         env={"HOTFRAME_HIDE_VMSTRUCT": "interpreter_frame_bcp_offset"})
check("not vm: layout entry missing: interpreter_frame_bcp_offset" in constant_result.stderr,
      "hidden version constant: the log names interpreter_frame_bcp_offset")
