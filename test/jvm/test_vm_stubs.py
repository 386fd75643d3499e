"""The vm walker in stubs and runtime calls (issue #16, item 3): StubsApp's threads live in arraycopy stubs,
itable/vtable stubs, monitor enter/exit runtime calls, method-handle intrinsics and lambdas, and a method that is
deoptimized when a new subclass loads. At 1 ms with `threads`:
- cstack=vm: unknown/broken walks are <= 1% of the workers' samples; every worker's samples keep the Java method
  the thread runs (a sample in a stub keeps its Java caller): >= 97% of each thread's samples (frames being
  deoptimized are not walked yet: >= 95% of the deopt thread's), the rest being the thread's start and end and
  failed walks, which name themselves; samples taken in an arraycopy
  stub name the stub right above StubsApp.copyArrays, samples in itable/vtable stubs right above
  StubsApp.callMegamorphic;
- cstack=vm with C1 alone (TieredStopAtLevel=1): samples in C1's slow_subtype_check stub sit right above
  StubsApp.checkInterfaces;
- cstack=vm with the interpreter alone (-Xint): no walk faults, and every thread keeps its method;
- cstack=dwarf (AsyncGetCallTrace): the same figures, reported only."""

import os

from hotframe_test import check, failed_walk, print_top, read_collapsed, run_java, total, work_dir

INTERVAL = "1ms"
SECONDS = 4
# Each worker thread (by the start of its name) and the StubsApp method it spends its time in.
WORKLOADS = {
    "[stubs-arraycopy": "StubsApp.copyArrays",
    "[stubs-megamorphic": "StubsApp.callMegamorphic",
    "[stubs-uncontended": "StubsApp.lockUncontended",
    "[stubs-contended-": "StubsApp.lockContended",
    "[stubs-methodhandle": "StubsApp.callMethodHandles",
    "[stubs-deopt": "StubsApp.runDeopt",
    "[stubs-subtype": "StubsApp.checkInterfaces",
}

directory = work_dir("vm_stubs")


def failed(frames):
    return any(failed_walk(f) for f in frames)


def run(name, cstack, jvm_flags=()):
    output = os.path.join(directory, f"{name}.collapsed")
    options = f"start,event=cpu,interval={INTERVAL},threads,{cstack},file={output},loglevel=info"
    result = run_java(options, "hotframe.examples.StubsApp", [SECONDS], jvm_flags=jvm_flags, cwd=directory)
    print(f"--- {name} ({cstack}): exit {result.returncode}\n{result.stderr.strip()}")
    check(result.returncode == 0, f"{name}: JVM exited 0")
    stacks = read_collapsed(output)
    workers = [(frames, count) for frames, count in stacks if frames and frames[0].startswith("[stubs-")]
    samples = total(workers)
    check(samples >= 700, f"{name}: {samples} samples of the worker threads (>= 700)")
    print_top(workers, 15)
    return workers


def thread_figures(name, workers):
    """{thread prefix: (samples, share holding its workload method)}, and the failed share of all workers."""
    figures = {}
    for prefix, method in WORKLOADS.items():
        mine = [(frames, count) for frames, count in workers if frames[0].startswith(prefix)]
        samples = total(mine)
        held = sum(count for frames, count in mine if any(f.endswith(method) for f in frames))
        # Samples of the thread starting or ending: no Java frame at all (a whole native stack from clone3), or
        # only Thread.run, before it calls the thread's Runnable or after it returned.
        lost = sum(count for frames, count in mine if not failed(frames) and frames[1:2] != ["clone3"] and
                   frames[-1] != "java.lang.Thread.run" and not any(f.endswith(method) for f in frames))
        figures[prefix] = (samples, held / samples if samples else 0.0, lost)
    failed_share = sum(count for frames, count in workers if failed(frames)) / total(workers)
    listing = ", ".join(f"{prefix[1:]} {samples} ({held:.1%})" for prefix, (samples, held, _) in figures.items())
    print(f"REPORT {name}: unknown/broken {failed_share:.2%} of the workers' samples; "
          f"samples per thread (share under its method): {listing}")
    return figures, failed_share


def stub_callers(workers, stub_part, caller, callers_caller=""):
    """Samples with a frame naming a stub (stub_part in its name), how many have `caller` right below it, and how
    many of those have a frame starting with `callers_caller` right below that."""
    seen = under = whole = 0
    for frames, count in workers:
        for i, frame in enumerate(frames):
            if stub_part in frame and not frame.startswith("[") and "StubsApp" not in frame:
                seen += count
                if i > 0 and frames[i - 1].endswith(caller):
                    under += count
                    if i > 1 and frames[i - 2].startswith(callers_caller):
                        whole += count
                break
    return seen, under, whole


dwarf_workers = run("dwarf", "cstack=dwarf")
thread_figures("cstack=dwarf", dwarf_workers)

vm_workers = run("vm", "cstack=vm")
figures, failed_share = thread_figures("cstack=vm", vm_workers)
check(failed_share <= 0.01, f"vm: unknown/broken {failed_share:.2%} of the workers' samples (<= 1%)")
for prefix, (samples, held, lost) in figures.items():
    check(samples >= 50, f"vm: {samples} samples of {prefix[1:]}* (>= 50)")
    least = 0.95 if prefix == "[stubs-deopt" else 0.97
    check(held >= least, f"vm: {held:.2%} of {prefix[1:]}*'s samples hold {WORKLOADS[prefix]} (>= {least:.0%})")
    # Reported, not asserted: a thread starting its Runnable (resolving the lambda's call) legitimately has none.
    print(f"REPORT cstack=vm: {lost} samples of {prefix[1:]}* hold Java frames but not {WORKLOADS[prefix]}")

arraycopy_threads = [(frames, count) for frames, count in vm_workers if frames[0].startswith("[stubs-arraycopy")]
seen, under, _ = stub_callers(arraycopy_threads, "arraycopy", "StubsApp.copyArrays")
print(f"REPORT cstack=vm: {seen} samples in arraycopy stubs, {under} right above StubsApp.copyArrays")
check(seen >= 0.05 * total(arraycopy_threads),
      f"vm: {seen} of the arraycopy thread's {total(arraycopy_threads)} samples name an arraycopy stub (>= 5%)")
check(under >= 0.99 * seen, f"vm: {under} of {seen} arraycopy stub samples sit right above copyArrays (>= 99%)")

megamorphic = [(frames, count) for frames, count in vm_workers if frames[0].startswith("[stubs-megamorphic")]
for stub in ("itable stub", "vtable stub"):
    seen, under, _ = stub_callers(megamorphic, stub, "StubsApp.callMegamorphic")
    print(f"REPORT cstack=vm: {seen} samples in {stub}s, {under} right above StubsApp.callMegamorphic")
    check(under >= 0.99 * seen, f"vm: {under} of {seen} {stub} samples sit right above callMegamorphic (>= 99%)")

# Code compiled by C1 (kept there: TieredStopAtLevel=1) calls the slow_subtype_check runtime stub for each
# instanceof its inline checks cannot answer. The stub pushes the registers it uses before anything else, so at
# the top its return address lies some words above sp: four on JDK 17, more on JDK 23 and later, whose lookup in
# the secondary-supers table pushes the temporaries it needs too. With room for eight words, on JDK 25, 345 of
# this thread's 549 samples in the stub took a frame further up, above the lambda.
c1_workers = run("vm-c1", "cstack=vm", jvm_flags=["-XX:TieredStopAtLevel=1"])
subtype = [(frames, count) for frames, count in c1_workers if frames[0].startswith("[stubs-subtype")]
# And checkInterfaces' own caller, the thread's lambda: C1 pushed the stub's two arguments between the return
# address and checkInterfaces' frame, which a walk counting the frame from the return address's slot gets wrong.
seen, under, whole = stub_callers(subtype, "slow_subtype_check", "StubsApp.checkInterfaces",
                                  "hotframe.examples.StubsApp.lambda$main$")
failed_subtype = sum(count for frames, count in subtype if failed(frames))
print(f"REPORT cstack=vm, C1 only: {seen} of the subtype thread's {total(subtype)} samples in slow_subtype_check, "
      f"{under} right above StubsApp.checkInterfaces, {whole} with its lambda below; {failed_subtype} failed walks")
check(seen >= 0.05 * total(subtype),
      f"vm, C1: {seen} of the subtype thread's {total(subtype)} samples name slow_subtype_check (>= 5%)")
check(under >= 0.99 * seen, f"vm, C1: {under} of {seen} slow_subtype_check samples sit right above checkInterfaces "
                            f"(>= 99%)")
check(whole >= 0.99 * seen, f"vm, C1: {whole} of {seen} slow_subtype_check samples have checkInterfaces' lambda "
                            f"below it (>= 99%)")
check(failed_subtype <= 0.01 * total(subtype),
      f"vm, C1: {failed_subtype} of the subtype thread's {total(subtype)} samples failed (<= 1%)")

# With the interpreter alone a sample often lands in a method entry while it pushes the new frame: rbp is already
# the new frame's, but its Method* slot is not written yet. Read from there, what an earlier call left faulted in
# 4-17 walks of an 8-second run on JDK 25 (the method-handle thread), and could name a stale method; the walker
# takes the entry's Method* from rbx there. vmcheck's log names where any walk faulted.
xint_workers = run("vm-xint", "cstack=vm,vmcheck", jvm_flags=["-Xint"])
xint_figures, xint_failed = thread_figures("cstack=vm, -Xint", xint_workers)
walk_faults = sum(count for frames, count in xint_workers if "[vm_walk_fault]" in frames)
check(walk_faults == 0, f"vm, -Xint: {walk_faults} of the workers' {total(xint_workers)} samples are walk faults (0)")
check(xint_failed <= 0.01, f"vm, -Xint: unknown/broken {xint_failed:.2%} of the workers' samples (<= 1%)")
for prefix, (samples, held, _) in xint_figures.items():
    check(held >= 0.97, f"vm, -Xint: {held:.2%} of {prefix[1:]}*'s samples hold {WORKLOADS[prefix]} (>= 97%)")
