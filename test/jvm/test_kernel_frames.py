"""Kernel frames (option kernel): SmallWrites' thread "writer" makes one write(2) per 16 bytes. With kernel frames
on, the kernel part of its call chains appears above the Java write path (FileOutputStream.writeBytes), named
from /proc/kallsyms and marked _[k] in annotated collapsed output; without the option no kernel frame appears.
Where the kernel refuses call chains (perf_event_paranoid >= 2 without CAP_PERFMON) profiling goes on with one
clear warning: checked by running the JVM as user nobody when the test runs as root; and when the test itself
is refused, it checks that much and is skipped, saying why."""

import os
import shutil
import subprocess
import tempfile

from hotframe_test import agent_path, check, classes_dir, java, java_command, read_collapsed, run_java, skip, work_dir

directory = work_dir("kernel_frames")
target = os.path.join(directory, "writes.bin")


def writer_stacks(options, name):
    output = os.path.join(directory, f"{name}.collapsed")
    run = run_java(f"start,event=cpu,interval=1ms,threads,ann,{options}file={output}", "hotframe.examples.SmallWrites",
                   [3, target], cwd=directory)
    check(run.returncode == 0, f"{name}: the JVM exited 0 ({run.stderr.strip()[-300:]})")
    stacks = [(frames[1:], count) for frames, count in read_collapsed(output) if frames[0].startswith("[writer")]
    return stacks, sum(count for _, count in stacks), run.stderr


stacks, samples, log = writer_stacks("kernel,", "kernel")
if "kernel frames need" in log:
    warnings = [line for line in log.splitlines() if "kernel frames need" in line]
    check(len(warnings) == 1 and samples > 0, f"one warning, and profiling went on ({samples} samples): {warnings}")
    skip(f"the kernel refuses kernel call chains here: {warnings[0].strip()}")
# How many follows the CPU the machine gives the thread (3000 at most in 3 s at 1 ms); the shares below need only
# enough of them to mean something.
check(samples >= 200, f"writer has {samples} samples (>= 200, enough for the shares)")


def kernel_above_write(frames):
    """The kernel frames of a stack, if they come after (leafward of) the Java write path."""
    writes = [i for i, f in enumerate(frames) if f.startswith("java.io.FileOutputStream.write")]
    kernel = [i for i, f in enumerate(frames) if f.endswith("_[k]")]
    if not writes or not kernel or min(kernel) < max(writes):
        return []
    return [frames[i] for i in kernel]


with_kernel = [(kernel_above_write(frames), count) for frames, count in stacks]
in_kernel = sum(count for kernel, count in with_kernel if kernel)
names = {name for kernel, _ in with_kernel for name in kernel}
print(f"{in_kernel} of {samples} writer samples have kernel frames above FileOutputStream.write; "
      f"e.g. {sorted(names)[:8]}")
check(in_kernel >= 0.3 * samples, f"kernel frames above the Java write path in {in_kernel / samples:.1%} (>= 30%)")
if names == {"[kernel]_[k]"}:
    skip("kernel frames are recorded, but /proc/kallsyms hides the kernel's addresses here (kptr_restrict)")
check(any("write" in name for name in names), "the kernel's write path is named (ksys_write, vfs_write, ...)")

stacks, samples, _ = writer_stacks("", "no_kernel")
check(not any(f.endswith("_[k]") for frames, _ in stacks for f in frames), "without the option no kernel frame")

# Refused: as an unprivileged user with perf_event_paranoid >= 2 the kernel gives no kernel call chains. Checked
# by running the JVM as nobody when the test runs as root. nobody may not be able to read the build (a clone in a
# 0700 directory), so what it runs is copied into a fresh world-readable directory, removed afterwards.
NOBODY = 65534


def as_nobody(command, cwd):
    """Runs command as nobody; cwd must be one that nobody can enter."""
    return subprocess.run(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"] + command,
                          capture_output=True, text=True, timeout=120, cwd=cwd)


def copy_readable(source, target):
    """Copies a file or a tree, readable (and where it was, executable) by everyone, whatever the umask."""
    if os.path.isdir(source):
        shutil.copytree(source, target, copy_function=shutil.copyfile)
        os.chmod(target, 0o755)
        for parent, directories, files in os.walk(target):
            for name in directories:
                os.chmod(os.path.join(parent, name), 0o755)
            for name in files:
                os.chmod(os.path.join(parent, name), 0o644)
    else:
        shutil.copyfile(source, target)
        os.chmod(target, 0o755)


def refused_as_nobody():
    with tempfile.TemporaryDirectory(prefix="hotframe-nobody-") as world:
        if os.statvfs(world).f_flag & os.ST_NOEXEC:
            print(f"SKIP (part): {tempfile.gettempdir()} is mounted noexec, so the agent copied there cannot be "
                  f"loaded (set TMPDIR); the refused case is not checked")
            return
        os.chmod(world, 0o755)
        agent = os.path.join(world, "libagent.so")
        classes = os.path.join(world, "classes")
        copy_readable(agent_path(), agent)
        copy_readable(classes_dir(), classes)
        output_dir = os.path.join(world, "out")
        os.mkdir(output_dir)
        os.chown(output_dir, NOBODY, NOBODY)
        # No hsperfdata_nobody directory left in /tmp: nothing here attaches to this JVM.
        flags = ["-XX:-UsePerfData"]
        probe = as_nobody([java(), *flags, "-version"], "/")
        if probe.returncode != 0:
            print(f"SKIP (part): nobody cannot run {java()} (exit {probe.returncode}: "
                  f"{probe.stderr.strip()[-200:]}); the refused case is not checked")
            return
        reach = as_nobody(["test", "-r", agent, "-a", "-r", os.path.join(classes, "hotframe", "examples",
                                                                        "SmallWrites.class")], "/")
        if reach.returncode != 0:
            print(f"SKIP (part): nobody cannot read {world} (is {tempfile.gettempdir()} closed to other users? "
                  f"set TMPDIR); the refused case is not checked")
            return
        output = os.path.join(output_dir, "refused.collapsed")
        command = java_command(f"start,event=cpu,interval=1ms,threads,kernel,file={output}",
                               "hotframe.examples.SmallWrites", [1, os.path.join(output_dir, "writes.bin")],
                               jvm_flags=flags, agent=agent, classpath=classes)
        run = as_nobody(command, output_dir)
        warnings = [line for line in run.stderr.splitlines() if "kernel frames need" in line]
        print(f"as nobody: exit {run.returncode}; {warnings}")
        check(run.returncode == 0, f"as nobody: the JVM exited 0 ({run.stderr.strip()[-300:]})")
        check(len(warnings) == 1 and "perf_event_paranoid" in warnings[0] and "goes on without them" in warnings[0],
              f"as nobody: one warning that says why and that profiling goes on ({warnings})")
        refused = read_collapsed(output)
        check(sum(count for frames, count in refused if frames[0].startswith("[writer")) > 0,
              "as nobody: the writer thread was profiled all the same")


paranoid = int(open("/proc/sys/kernel/perf_event_paranoid").read().strip())
if os.geteuid() != 0:
    print("SKIP (part): not root, so the JVM cannot be run as another user; the refused case is not checked")
elif paranoid < 2:
    print(f"SKIP (part): perf_event_paranoid is {paranoid}, so the kernel does not refuse unprivileged users")
elif shutil.which("setpriv") is None:
    print("SKIP (part): setpriv is missing (util-linux); the refused case is not checked")
else:
    refused_as_nobody()
