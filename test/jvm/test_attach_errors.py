"""Bad input by attach: each gives a one-line error and a non-zero exit from the launcher, and the JVM and the
samples collected so far are unharmed: a later good command still works."""

import os

from hotframe_test import RunningJava, check, read_collapsed, run_launcher, total, work_dir

directory = work_dir("attach_errors")


def agent_mapping(pid):
    """Where libagent.so's first mapping is in the process, or None if it is not mapped."""
    with open(f"/proc/{pid}/maps") as maps:
        for line in maps:
            if line.rstrip().endswith("/libagent.so"):
                return line.split("-")[0]
    return None


def expect_error(result, text, what):
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    check(result.returncode != 0, f"{what}: non-zero exit")
    check(len(lines) >= 1 and text in lines[0], f"{what}: error line mentions '{text}'")


with RunningJava("hotframe.examples.NamedThreads", [120, 1, 1]) as jvm:
    expect_error(run_launcher("stop", jvm.pid), "not running", "stop while idle")
    # HotSpot dlcloses an agent whose Agent_OnAttach failed; ours has registered callbacks and a signal handler
    # by then, so it must stay mapped where it is (it is linked NODELETE), or the next event jumps into nothing.
    first_mapping = agent_mapping(jvm.pid)
    check(first_mapping is not None, "the agent stays mapped after a failed first attach command")
    expect_error(run_launcher("--bogus", jvm.pid), "unknown option --bogus", "unknown launcher option")
    expect_error(run_launcher("start", "-e", "wallclock", jvm.pid), "unknown event 'wallclock'", "unknown event")
    expect_error(run_launcher("start", "-i", "fast", jvm.pid), "invalid interval 'fast'", "bad interval")
    expect_error(run_launcher("start", "-f", "/nonexistent-dir/x.html", jvm.pid), "/nonexistent-dir",
                 "start into a missing directory")
    check(run_launcher("start", jvm.pid).returncode == 0, "a good start works after the errors")
    expect_error(run_launcher("start", jvm.pid), "already running", "start while running")
    expect_error(run_launcher("dump", "-f", "/nonexistent-dir/x.html", jvm.pid), "/nonexistent-dir",
                 "dump into a missing directory")
    expect_error(run_launcher("stop", "-f", "/proc/x.html", jvm.pid), "/proc", "stop into an unwritable directory")
    good = os.path.join(directory, "good.collapsed")
    check(run_launcher("dump", "-f", good, jvm.pid).returncode == 0, "a good dump works after the bad ones")
    check(total(read_collapsed(good)) > 0, "and holds the samples collected so far")
    check(run_launcher("stop", "-f", good, jvm.pid).returncode == 0, "stop still works")
    expect_error(run_launcher("status", "12345678"), "no process", "a pid that does not exist")
    expect_error(run_launcher("threaddump", "-f", "/nonexistent-dir/t.txt", jvm.pid), "/nonexistent-dir",
                 "threaddump into a missing directory")
    expect_error(run_launcher("memory", "-o", "yaml", jvm.pid), "unknown format 'yaml'", "memory in an unknown format")
    expect_error(run_launcher("memory", "--loop", "off", jvm.pid), "no periodic memory", "memory --loop off while none")
    expect_error(run_launcher("sample", "-d", "1", jvm.pid), "include=", "sample without threads to watch")
    check(run_launcher("threaddump", jvm.pid).returncode == 0, "a good threaddump works after the bad ones")
    check(jvm.alive(), "the JVM survived all of it")
    check(agent_mapping(jvm.pid) == first_mapping, "the agent never moved: the same mapping after every command")
