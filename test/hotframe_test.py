"""Helpers for the tests that start real JVMs with the agent: find the JDK and the build, run Java with
-agentpath, measure the CPU the JVM used, and read collapsed profiles. A missing prerequisite skips (exit 77)."""

import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77


def skip(reason):
    print(f"SKIP: {reason}")
    sys.exit(SKIP)


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)
    print(f"ok: {message}")


def java_home():
    home = os.environ.get("HOTFRAME_JAVA_HOME", "/usr/lib/jvm/java-17-openjdk-amd64")
    if not os.path.exists(os.path.join(home, "bin", "java")):
        skip(f"no JDK at {home}")
    return home


def java():
    return os.path.join(java_home(), "bin", "java")


def build_dir():
    return os.environ.get("HOTFRAME_BUILD", os.path.join(os.path.dirname(__file__), "..", "build"))


def agent_path():
    path = os.path.abspath(os.path.join(build_dir(), "libagent.so"))
    if not os.path.exists(path):
        fail(f"{path} is not built")
    return path


def classes_dir():
    return os.path.abspath(os.path.join(build_dir(), "examples", "classes"))


def work_dir(name):
    """A fresh directory for one test's files, under the build tree so that it is easy to inspect."""
    jdk = os.path.basename(java_home().rstrip("/"))
    path = os.path.abspath(os.path.join(build_dir(), "test-output", f"{name}-{jdk}"))
    os.makedirs(path, exist_ok=True)
    for entry in os.listdir(path):
        entry_path = os.path.join(path, entry)
        if os.path.isdir(entry_path):
            shutil.rmtree(entry_path)
        else:
            os.remove(entry_path)
    return path


class JavaRun:
    def __init__(self, returncode, stdout, stderr, cpu_seconds, wall_seconds):
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.cpu_seconds = cpu_seconds
        self.wall_seconds = wall_seconds


def java_command(agent_options, main_class, args, jvm_flags=(), agent=None, classpath=None):
    """The java command line; agent and classpath default to the build's libagent.so and example classes."""
    agent = agent or agent_path()
    command = [java()]
    if agent_options is not None:
        command.append(f"-agentpath:{agent}={agent_options}" if agent_options else f"-agentpath:{agent}")
    command += list(jvm_flags)
    command += ["-cp", classpath or classes_dir(), main_class] + [str(a) for a in args]
    return command


def java_leftovers(pid):
    """What a JVM that cannot clean up after itself (SIGKILL) leaves in /tmp: its attach socket and perf data file.
    HotSpot puts both in /tmp whatever TMPDIR says."""
    try:
        user = pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        user = str(os.geteuid())
    return [f"/tmp/.java_pid{pid}", f"/tmp/hsperfdata_{user}/{pid}"]


def end_jvm(process, grace=60):
    """Ends a JVM that is still running and reaps it; returns (stdout, stderr) of its pipes. SIGTERM first, so that
    the JVM removes its own files in /tmp; SIGKILL only if it does not end within grace seconds, and then its
    leftovers are removed here."""
    process.terminate()
    try:
        return process.communicate(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        output = process.communicate()
        for path in java_leftovers(process.pid):
            if os.path.lexists(path):
                os.remove(path)
        return output


def run_java(agent_options, main_class, args=(), jvm_flags=(), timeout=300, cwd=None):
    """Runs a JVM to completion."""
    command = java_command(agent_options, main_class, args, jvm_flags)
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _, stderr = end_jvm(process)
        fail(f"JVM did not finish in {timeout}s: {' '.join(command)}\n{stderr.decode(errors='replace')}")
    return JavaRun(process.returncode, stdout.decode(errors="replace"), stderr.decode(errors="replace"),
                   None, time.monotonic() - started)


def run_java_measured(agent_options, main_class, args=(), jvm_flags=(), timeout=300, cwd=None):
    """Like run_java, but measures the JVM's own CPU time with os.wait4."""
    command = java_command(agent_options, main_class, args, jvm_flags)
    started = time.monotonic()
    # Anonymous files (no name, gone when closed, whatever happens) rather than pipes: wait4 must reap the child
    # itself to get its rusage, and a pipe nobody reads meanwhile would fill up and block the JVM.
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=cwd)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid != 0:
                break
            if time.monotonic() > deadline:
                end_jvm(process)
                fail(f"JVM did not finish in {timeout}s: {' '.join(command)}")
            time.sleep(0.05)  # polling the child's exit; wait4 with a timeout does not exist
        returncode = os.waitstatus_to_exitcode(status)
        process.returncode = returncode
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    return JavaRun(returncode, stdout, stderr, usage.ru_utime + usage.ru_stime, time.monotonic() - started)


def profiled_cpu_seconds(run):
    """The JVM's CPU after profiling started, from a measured run (run_java_measured): what the process used in
    all less what the agent logs it had used before its first timer was armed (start-up, the agent's set-up).
    None if the log does not say."""
    before = re.search(r"profiling started: .* after ([0-9.]+) s of process CPU", run.stderr)
    return run.cpu_seconds - float(before.group(1)) if before else None


def read_collapsed(path):
    """[(frames root-first, count)] from a collapsed file; fails on a malformed line."""
    stacks = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("# "):
                continue  # the header: what the values mean, samples over memlimit
            stack, _, count = line.rpartition(" ")
            if not stack or not count.isdigit():
                fail(f"{path}:{number}: not a collapsed line: {line[:200]}")
            stacks.append((stack.split(";"), int(count)))
    return stacks


def collapsed_header(path):
    """The first line of a collapsed file, which says what its values mean."""
    with open(path, encoding="utf-8") as f:
        return f.readline().rstrip("\n")


def read_html_data(path):
    """The data object embedded in a flame graph page (JSON inside the script)."""
    with open(path, encoding="utf-8") as f:
        page = f.read()
    start = page.index("var data = ") + len("var data = ")
    end = page.index(";\n", start)
    return json.loads(page[start:end])


def html_leaf_stats(data):
    """{leaf frame name: (self samples, self weight)} summed over the nodes of a flame graph page's data."""
    stats = {}
    for node, frame in enumerate(data["frame"]):
        if node == 0:
            continue
        name = data["names"][data["frameName"][frame]]
        samples, weight = stats.get(name, (0, 0))
        stats[name] = (samples + data["selfSamples"][node], weight + data["selfWeight"][node])
    return stats


# The pseudo-frames of a sample whose stack walk failed (see README, "Pseudo-frames").
FAILED_WALK = ("[unknown_Java]", "[not_walkable_Java]", "[unknown_not_Java]", "[not_walkable_not_Java]",
               "[broken_java]", "[agct_fault]", "[vm_walk_fault]", "[unknown_frame]")


def failed_walk(frame):
    """A failed walk's pseudo-frame, bare or naming the code the vm walker stopped in ("[unknown_Java: vtable stub]")."""
    return frame in FAILED_WALK or any(frame.startswith(name[:-1] + ": ") for name in FAILED_WALK)


def total(stacks):
    return sum(count for _, count in stacks)


def share(stacks, predicate):
    """Fraction of samples whose stack satisfies predicate(frames)."""
    all_samples = total(stacks)
    if all_samples == 0:
        return 0.0
    return sum(count for frames, count in stacks if predicate(frames)) / all_samples


def leaf_total(stacks, method_part, leaf):
    """The summed values of stacks that end in the frame `leaf` and pass through a frame containing method_part."""
    return sum(count for frames, count in stacks if frames[-1] == leaf and any(method_part in f for f in frames))


def has_frame_under(frames, ancestor_part, frame_part):
    """True if a frame containing frame_part sits at or below a frame containing ancestor_part."""
    for i, frame in enumerate(frames):
        if ancestor_part in frame:
            return any(frame_part in f for f in frames[i:])
    return False


def print_top(stacks, n=8):
    for frames, count in sorted(stacks, key=lambda s: -s[1])[:n]:
        print(f"  {count:6d}  {';'.join(frames[-3:])[:160]}")


def wait_for(predicate, timeout, what):
    """Polls an observable condition until it holds or the deadline passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    fail(f"timed out after {timeout}s waiting for {what}")


def launcher():
    return os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "scripts", "hotframe"))


def run_launcher(*args, cwd=None):
    """Runs scripts/hotframe with the built agent; returns the CompletedProcess (text)."""
    command = [launcher(), "--agent", agent_path()] + [str(a) for a in args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=cwd)
    print(f"$ hotframe {' '.join(str(a) for a in args)}  -> exit {result.returncode}\n"
          f"{result.stdout.rstrip()}{result.stderr.rstrip()}")
    return result


def keep_crash_reports(directory):
    """A JVM that crashed leaves hs_err_pid*.log in its working directory: shown and kept under test-output."""
    for name in sorted(os.listdir(directory)) if os.path.isdir(directory) else []:
        if not name.startswith("hs_err_pid"):
            continue
        kept = os.path.abspath(os.path.join(build_dir(), "test-output", name))
        shutil.copy(os.path.join(directory, name), kept)
        with open(kept, errors="replace") as report:
            print(f"JVM CRASH REPORT kept at {kept}:\n" + "".join(report.readlines()[:60]))


def at_most_two_cpus():
    """For preexec_fn: the child may run on two of the CPUs this process may use. Verdicts and advice that weigh
    a workload's CPU against the CPUs available (diagnose, -d's advice) then see the 2-CPU machine the tests were
    written on, whatever this one has: two busy threads are 100% of two CPUs but 12% of sixteen."""
    allowed = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, allowed[:2])


class RunningJava:
    """A JVM started in the background (no agent unless given) that prints "ready" when its work runs. It runs in
    a temporary directory of its own, removed when it stops: whatever it or an attaching tool puts in its working
    directory (.attach_pid files, a profile written at exit by a session a failed test left running) goes with it.
    """

    def __init__(self, main_class, args=(), agent_options=None, jvm_flags=(), preexec_fn=None):
        command = java_command(agent_options, main_class, args, jvm_flags)
        self.cwd = tempfile.mkdtemp(prefix="hotframe-jvm-")
        # stderr (the agent's log) goes to a file: a pipe nobody reads would fill up and block the JVM.
        self.stderr_file = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=self.stderr_file, text=True,
                                        cwd=self.cwd, preexec_fn=preexec_fn)
        self.pid = self.process.pid
        line = self.process.stdout.readline()
        if line.strip() != "ready":
            log = self.log()
            self.stop()
            fail(f"{main_class} did not start: {line!r} {log}")

    def log(self):
        self.stderr_file.seek(0)
        return self.stderr_file.read()

    def alive(self):
        return self.process.poll() is None

    def stop(self):
        if self.alive():
            end_jvm(self.process)
        else:
            self.process.communicate()
        self.stderr_file.close()
        keep_crash_reports(self.cwd)
        shutil.rmtree(self.cwd, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
