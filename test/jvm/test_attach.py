"""Attach to a running JVM through the launcher: start, dump twice (the second holds more samples), status
reports the counts, stop writes the output; relative paths resolve against the launcher's directory. A JVM that
ends during -d's window: the launcher says so in one line and the profile written at exit is there."""

import os
import re
import subprocess

from hotframe_test import (RunningJava, agent_path, check, launcher, read_collapsed, run_launcher, total, wait_for,
                           work_dir)

directory = work_dir("attach")


def samples_now(pid):
    """The session's sample count, as `status` reports it; -1 without one."""
    status = run_launcher("status", pid)
    match = re.search(r"^samples: (\d+)", status.stdout, re.M)
    return int(match.group(1)) if match else -1


with RunningJava("hotframe.examples.NamedThreads", [120, 1, 1]) as jvm:
    started = run_launcher("start", "-i", "5ms", jvm.pid)
    check(started.returncode == 0 and "profiling started" in started.stdout, "start answers 'profiling started'")

    first = run_launcher("dump", "-f", "first.collapsed", jvm.pid, cwd=directory)
    check(first.returncode == 0, "the first dump succeeds")
    check(os.path.exists(os.path.join(directory, "first.collapsed")),
          "a relative -f path lands in the launcher's working directory")
    first_samples = total(read_collapsed(os.path.join(directory, "first.collapsed")))

    wait_for(lambda: samples_now(jvm.pid) > first_samples + 50, 30, "more samples after the first dump")
    second = run_launcher("dump", "-f", "second.collapsed", jvm.pid, cwd=directory)
    check(second.returncode == 0, "the second dump succeeds")
    second_samples = total(read_collapsed(os.path.join(directory, "second.collapsed")))
    check(second_samples > first_samples, f"the second dump holds more samples ({second_samples} > {first_samples})")

    status = run_launcher("status", jvm.pid)
    check(status.returncode == 0 and "profiling: running" in status.stdout, "status says running")
    check(re.search(r"^samples: \d+", status.stdout, re.M) is not None, "status shows the sample count")
    check("dropped (buffer full): " in status.stdout, "status shows dropped samples")
    check("perf_event" in status.stdout or "timer" in status.stdout, "status names the engine")

    stopped = run_launcher("stop", "-f", "final.html", jvm.pid, cwd=directory)
    check(stopped.returncode == 0 and "final.html" in stopped.stdout, "stop writes the named file")
    with open(os.path.join(directory, "final.html"), encoding="utf-8") as f:
        page = f.read()
    check("NamedThreads.handleRequest" in page and page.rstrip().endswith("</html>"), "the HTML is complete")
    after = run_launcher("status", jvm.pid)
    check("profiling: not running" in after.stdout, "status after stop says not running")
    check(jvm.alive(), "the JVM is still running")

    # -d: start, wait, stop in one command.
    timed = run_launcher("-d", "2", "-f", "timed.collapsed", jvm.pid, cwd=directory)
    check(timed.returncode == 0, "-d 2 succeeds")
    # Two busy threads for 2 s at 10 ms: up to 400 samples, as many as the machine's load leaves them CPU for.
    timed_stacks = read_collapsed(os.path.join(directory, "timed.collapsed"))
    handling = sum(count for frames, count in timed_stacks if any("NamedThreads.handleRequest" in f for f in frames))
    check(handling >= 20, f"-d 2 wrote a profile of the work ({handling} of {total(timed_stacks)} samples in "
                          f"NamedThreads.handleRequest, >= 20)")

    # Without -f the agent writes its default name into the JVM's working directory and says it relative to
    # that; the launcher, run from another directory, names the file from the JVM's.
    default = run_launcher("-d", "1", jvm.pid, cwd=directory)
    named = re.search(rf"^wrote ({re.escape(jvm.cwd)}/hotframe-{jvm.pid}-[\d-]+\.html)$", default.stdout, re.M)
    check(default.returncode == 0 and named is not None and os.path.isfile(named.group(1)),
          f"-d 1 without -f names the default file from the JVM's working directory ({default.stdout.strip()!r})")

# -d with a JVM that ends inside the window. Ended by SIGTERM (the shutdown sequence runs), the agent writes the
# session's file as the JVM exits, and the launcher says so in one line and exits 0 instead of jcmd's stack trace
# for a process that is gone; killed (SIGKILL), nothing is written, and the launcher says that in one line and
# exits 1. The JVM is not reaped by its parent (this script) until stop(): the launcher must see the zombie as
# ended.
def collect_until_jvm_ends(name, end_jvm):
    output = os.path.join(directory, f"{name}.collapsed")
    out_path, err_path = os.path.join(directory, f"{name}.out"), os.path.join(directory, f"{name}.err")
    with RunningJava("hotframe.examples.NamedThreads", [120, 1, 1]) as jvm, open(out_path, "w") as out, \
            open(err_path, "w") as err:
        collect = subprocess.Popen([launcher(), "--agent", agent_path(), "-d", "120", "-f", output, str(jvm.pid)],
                                   stdout=out, stderr=err, text=True)
        try:
            wait_for(lambda: "profiling started" in open(out_path).read(), 60, f"{name}: the session to start")
            wait_for(lambda: samples_now(jvm.pid) >= 20, 60, f"{name}: 20 samples in the session")
            end_jvm(jvm.process)
            collect.wait(timeout=60)
        finally:
            if collect.poll() is None:
                collect.kill()
                collect.wait()
    with open(out_path) as f, open(err_path) as g:
        stdout, stderr = f.read(), g.read()
    print(f"-d 120, {name} -> exit {collect.returncode}\n{stdout}{stderr}")
    return collect.returncode, stdout, stderr.strip(), output


code, stdout, stderr, ended_output = collect_until_jvm_ends("ended", lambda process: process.terminate())
check(code == 0, f"SIGTERM: the launcher exits 0 when the JVM ended and its profile was written (exit {code})")
check("\n" not in stderr and "ended before the 120 s were over" in stderr and "jcmd" not in stderr,
      f"SIGTERM: one line says the JVM ended during the window ({stderr!r})")
check(f"wrote {ended_output}" in stdout, "SIGTERM: the launcher names the file the agent wrote")
ended_stacks = read_collapsed(ended_output)
check(any("NamedThreads.handleRequest" in frame for frames, _ in ended_stacks for frame in frames),
      f"SIGTERM: the profile written at exit holds the work ({total(ended_stacks)} samples)")

# Before the kill a file appears under the session's output name, as another tool or launcher writing the same
# name during the window would leave it: the launcher names only what the agent said it wrote (reply.ended).
decoy = os.path.join(directory, "killed.collapsed")


def kill_after_decoy(process):
    with open(decoy, "w") as f:
        f.write("not this session's\n")
    process.kill()


code, stdout, stderr, _ = collect_until_jvm_ends("killed", kill_after_decoy)
check(code == 1, f"SIGKILL: the launcher exits 1, nothing having been written (exit {code})")
check("\n" not in stderr and "without its agent saying what it wrote" in stderr and "jcmd" not in stderr,
      f"SIGKILL: one line says so ({stderr!r})")
with open(decoy) as f:
    decoy_text = f.read()
check("wrote" not in stdout, "SIGKILL: no file is claimed, not even one of the session's name written by someone else")
check(decoy_text == "not this session's\n", "SIGKILL: the other file is left as it was")
