"""Stress: sampling at 100 us, with each Java walker, while three threads load and unload a library with
thread-locals of its own thousands of times a second (TlsChurn). Each load and unload makes glibc bring every
thread's thread-local table up to date on its next thread-local read through __tls_get_addr, freeing and
allocating as it goes; a signal handler that reads a dlopen'ed library's thread-local (JavaVM::GetEnv reads
libjvm's Thread::current()) repeats that update from inside malloc, free or the same update. The agent did, until
2026-12-02: with that build this workload aborted every run within seconds ("free(): double free detected in
tcache 2", JDK 17 and 25, both walkers), and a Tomcat JVM crashed with Thread::current() null. The JVM must exit 0
with the profile written and the churning threads' Java frames in it, found without asking the JVM."""

import os

from hotframe_test import build_dir, check, print_top, read_collapsed, run_java, share, total, work_dir

SECONDS = 6
directory = work_dir("tls_churn")
examples = os.path.join(build_dir(), "examples")
jni_library = os.path.join(examples, "libhotframe_jni_example.so")
probe = os.path.join(examples, "libhotframe_tls_probe.so")

for cstack in ("dwarf", "vm"):
    output = os.path.join(directory, f"tls-churn-{cstack}.collapsed")
    run = run_java(f"start,event=cpu,interval=100us,cstack={cstack},file={output}", "hotframe.examples.TlsChurn",
                   [SECONDS, jni_library, probe], timeout=120, cwd=directory)
    print(f"--- cstack={cstack}: exit {run.returncode}, wall {run.wall_seconds:.1f}s\n{run.stdout.strip()}\n"
          f"{run.stderr.strip()[-1500:]}")
    check(run.returncode == 0, f"cstack={cstack}: the JVM exited 0 after {SECONDS} s of library loads at 10 kHz")
    check("loads=" in run.stdout and int(run.stdout.split("loads=")[1].split()[0]) >= 1000,
          f"cstack={cstack}: the threads loaded and unloaded the probe library ({run.stdout.strip()})")
    walker = "Java stack walker: vm" if cstack == "vm" else "Java stack walker: AsyncGetCallTrace"
    check(walker in run.stderr, f"cstack={cstack}: the log says the session walked with it ({walker!r})")
    stacks = read_collapsed(output)
    print_top(stacks)
    # At 100 us, three busy threads give tens of thousands of samples in 6 s (42,000-60,000 here); a few thousand
    # at least on a busy machine.
    check(total(stacks) >= 3000, f"cstack={cstack}: {total(stacks)} samples (>= 3000)")
    # Nearly all of the process's CPU is the churning threads'. Samples the JavaThread test (the JNI function
    # table at the JNIEnv's offset) refused would have no Java walk: a native walk can name TlsChurn.churn's
    # native wrapper, but it never reaches java.lang.Thread.run below it.
    walked = share(stacks, lambda frames: "java.lang.Thread.run" in frames
                   and any(f.startswith("hotframe.examples.TlsChurn") for f in frames))
    check(walked >= 0.5, f"cstack={cstack}: {walked:.1%} of {total(stacks)} samples walked from TlsChurn's code to "
                         f"java.lang.Thread.run (>= 50%)")
