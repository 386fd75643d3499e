"""Attach to a running JVM through the launcher: start, dump twice (the second holds more samples), status
reports the counts, stop writes the output; relative paths resolve against the launcher's directory. A JVM that
ends during -d's window: the launcher says so in one line and the profile written at exit is there."""

import os
import re
import subprocess

from hotframe_test import (RunningJava, agent_path, check, launcher, read_collapsed, run_launcher, total, wait_for,
                           work_dir)

directory = work_dir("attach")
with RunningJava("hotframe.examples.NamedThreads", [120, 1, 1]) as jvm:
    started = run_launcher("start", "-i", "5ms", jvm.pid)
    check(started.returncode == 0 and "profiling started" in started.stdout, "start answers 'profiling started'")

    first = run_launcher("dump", "-f", "first.collapsed", jvm.pid, cwd=directory)
    check(first.returncode == 0, "the first dump succeeds")
    check(os.path.exists(os.path.join(directory, "first.collapsed")),
          "a relative -f path lands in the launcher's working directory")
    first_samples = total(read_collapsed(os.path.join(directory, "first.collapsed")))

    def samples_now():
        status = run_launcher("status", jvm.pid)
        match = re.search(r"^samples: (\d+)", status.stdout, re.M)
        return int(match.group(1)) if match else -1

    wait_for(lambda: samples_now() > first_samples + 50, 30, "more samples after the first dump")
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

# -d with a JVM that ends inside the window: the agent writes the session's file as the JVM exits (SIGTERM runs the
# shutdown sequence), and the launcher reports that in one line and exits 0, instead of jcmd's stack trace for a
# process that is gone. The JVM is not reaped by its parent (this script) until stop(): the launcher must see the
# zombie as ended.
ended_output = os.path.join(directory, "ended.collapsed")
with RunningJava("hotframe.examples.NamedThreads", [120, 1, 1]) as jvm:
    collect = subprocess.Popen([launcher(), "--agent", agent_path(), "-d", "120", "-f", ended_output, str(jvm.pid)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first_line = collect.stdout.readline()
    check("profiling started" in first_line, f"-d 120 started a session ({first_line.strip()!r})")
    wait_for(lambda: re.search(r"^samples: [1-9]", run_launcher("status", jvm.pid).stdout, re.M) is not None, 30,
             "the session's first samples")
    jvm.process.terminate()
    rest, errors = collect.communicate(timeout=60)
    print(f"-d 120 on a JVM ended by SIGTERM -> exit {collect.returncode}\n{first_line}{rest}{errors}")
    check(collect.returncode == 0, f"the launcher exits 0 when the JVM ended and its profile was written "
                                   f"(exit {collect.returncode})")
    check(errors.strip().count("\n") == 0 and "ended before the 120 s were over" in errors and "jcmd" not in errors,
          f"one line says the JVM ended during the window ({errors.strip()!r})")
    check(f"wrote {ended_output}" in rest, "the launcher names the file the agent wrote")
    ended_stacks = read_collapsed(ended_output)
    check(any("NamedThreads.handleRequest" in frame for frames, _ in ended_stacks for frame in frames),
          f"the profile written at exit holds the work ({total(ended_stacks)} samples)")
