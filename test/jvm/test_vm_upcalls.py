"""The vm walker (cstack=vm) at a JNI upcall: in JniUpcall the thread "upcall-worker" calls a native method,
callBack, whose C code calls the Java method javaWork back through JNI, where the CPU goes. What the walker does
there (README, "The Java stack walker"): javaWork's frame sits on an entry frame (the call stub JNI enters Java
through); the walker continues at the anchor the native method's wrapper left, so the stack reads
...;JniUpcall.upcallLoop;JniUpcall.callBack;JniUpcall.javaWork: the C frames between the native method and the
entry frame (the JNI function, HotSpot's JavaCalls) are not shown, as with AsyncGetCallTrace. Checked at 1 ms:
>= 95% of javaWork's samples read so, and lost walks (unknown, unwalkable, broken, faulted) are <= 2% of the
thread's samples; with cstack=dwarf the same figures are reported only."""

import os

from hotframe_test import build_dir, check, failed_walk, print_top, read_collapsed, run_java, total, work_dir

LIBRARY = os.path.abspath(os.path.join(build_dir(), "examples", "libhotframe_jni_example.so"))
CHAIN = ["hotframe.examples.JniUpcall.upcallLoop", "hotframe.examples.JniUpcall.callBack",
         "hotframe.examples.JniUpcall.javaWork"]

directory = work_dir("vm_upcalls")


def worker_figures(cstack):
    output = os.path.join(directory, f"{cstack}.collapsed")
    run = run_java(f"start,event=cpu,interval=1ms,threads,cstack={cstack},file={output},loglevel=info",
                   "hotframe.examples.JniUpcall", [4], jvm_flags=[f"-Dhotframe.jni.library={LIBRARY}"],
                   cwd=directory)
    print(f"--- cstack={cstack}: exit {run.returncode}\n{run.stdout.strip()}\n{run.stderr.strip()[-1500:]}")
    check(run.returncode == 0, f"cstack={cstack}: the JVM exited 0")
    worker = [(frames[1:], count) for frames, count in read_collapsed(output) if frames[0].startswith("[upcall-worker")]
    print_top(worker)
    samples = total(worker)
    check(samples >= 300, f"cstack={cstack}: upcall-worker has {samples} samples (>= 300)")
    work = total([(frames, count) for frames, count in worker if CHAIN[-1] in frames])
    # The three frames in a row, javaWork's frame right on the native method (whatever javaWork calls above it).
    chained = total([(frames, count) for frames, count in worker
                     if any(frames[i:i + 3] == CHAIN for i in range(len(frames) - 2))])
    failed = total([(frames, count) for frames, count in worker if any(failed_walk(f) for f in frames)])
    return samples, work, chained, failed


samples, work, chained, failed = worker_figures("dwarf")
print(f"REPORT cstack=dwarf: javaWork {work} of {samples}; upcallLoop;callBack;javaWork in {chained / max(work, 1):.1%}"
      f" of them; lost {failed / samples:.2%}")

samples, work, chained, failed = worker_figures("vm")
print(f"REPORT cstack=vm: javaWork {work} of {samples}; upcallLoop;callBack;javaWork in {chained / max(work, 1):.1%} "
      f"of them; lost {failed / samples:.2%}")
check(work >= 0.5 * samples, f"vm: javaWork has {work} of the thread's {samples} samples (>= 50%)")
check(chained >= 0.95 * work, f"vm: {chained / work:.1%} of javaWork's samples read "
                              f"{';'.join(c.rsplit('.', 1)[1] for c in CHAIN)} through the entry frame (>= 95%)")
check(failed <= 0.02 * samples, f"vm: lost walks are {failed / samples:.2%} of the thread's samples (<= 2%)")
