"""Frame kinds from the vm walker (cstack=vm, agent loaded at start-up): in InlinedLoop, a small method (mix)
that the JIT inlines into a hot loop appears above the loop as an inlined frame in >= 90% of the loop's samples;
with -Xint it appears interpreted in all the samples that have it. Kinds are read from the HTML page's data, where
interpreted and compiled frames differ (collapsed `ann` marks both `_[j]`)."""

import os

from hotframe_test import check, read_html_data, run_java, work_dir

directory = work_dir("vm_inlining")


def mix_kinds(name, jvm_flags):
    output = os.path.join(directory, f"{name}.html")
    run = run_java(f"start,event=cpu,interval=1ms,cstack=vm,file={output}", "hotframe.examples.InlinedLoop", [3],
                   jvm_flags=jvm_flags, cwd=directory)
    print(f"--- {name}: exit {run.returncode}\n{run.stderr.strip()}")
    check(run.returncode == 0, f"{name}: JVM exited 0")
    check("Java stack walker: vm" in run.stderr, f"{name}: the vm walker runs")
    data = read_html_data(output)
    # Nodes come in depth-first order with their depth: a stack of names by depth gives each node's caller.
    kinds = {}
    loop_samples = 0
    callers = []
    for node, frame in enumerate(data["frame"]):
        if node == 0:
            continue
        depth = data["depth"][node]
        frame_name = data["names"][data["frameName"][frame]]
        del callers[depth - 1:]
        callers.append(frame_name)
        if any(caller.endswith("InlinedLoop.loop") for caller in callers):
            loop_samples += data["selfSamples"][node]
        if frame_name.endswith("InlinedLoop.mix") and len(callers) >= 2 and callers[-2].endswith("InlinedLoop.loop"):
            kind = data["kinds"][data["frameKind"][frame]]
            kinds[kind] = kinds.get(kind, 0) + data["selfSamples"][node]
    samples = sum(kinds.values())
    print(f"{name}: {loop_samples} samples in loop; those of mix above loop by kind: {kinds}")
    check(samples >= 300, f"{name}: {samples} samples of mix above loop (>= 300)")
    return kinds, samples, loop_samples


kinds, samples, loop_samples = mix_kinds("jit", [])
inlined = kinds.get("inlined", 0)
check(inlined >= 0.9 * loop_samples,
      f"jit: mix is inlined above loop in {inlined / loop_samples:.1%} of the loop's samples (>= 90%)")

kinds, samples, _ = mix_kinds("xint", ["-Xint"])
interpreted = kinds.get("interpreted", 0)
check(interpreted == samples, f"-Xint: mix is interpreted in {interpreted / samples:.1%} of its samples (all)")
