"""`diagnose` names the symptom first, with its evidence: one example per symptom, each checked on the first verdict
of the page and of the summary printed at the end. A CPU-bound run (the naive regex highlighter on two threads)
names its hot frame, Pattern.compile or Matcher.replaceAll under String.replaceAll; a mostly sleeping service
(Sleepy, diagnosed through the launcher, so jcmd and the summary's way back are covered) is called waiting and
points to Wall; a small heap under a high allocation rate points to Alloc and Memory; a deadlock comes first
with both threads named; a contended monitor points to Lock. The page also holds one memory point per second of
the window and every thread of its dump."""

import json
import os
import re
import subprocess

from hotframe_test import (agent_path, at_most_two_cpus, check, end_jvm, fail, java_command, launcher, run_launcher,
                           wait_for, work_dir)

directory = work_dir("diagnose")
WINDOW_SECONDS = 4


def page_data(path):
    text = open(path, encoding="utf-8").read()
    start = text.index("var data = ") + len("var data = ")
    end = text.index(";\n\n  function el(", start)
    return json.loads(text[start:end])


def diagnose_at_start(name, main_class, args, jvm_flags=()):
    """Starts a JVM with diagnose at start-up, waits for its page, ends the JVM; returns (page data, stderr)."""
    page = os.path.join(directory, f"{name}.html")
    command = java_command(f"diagnose,duration={WINDOW_SECONDS}s,file={page}", main_class, args, jvm_flags)
    # The verdicts' thresholds weigh CPU against the CPUs available: the workloads are sized for two.
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=directory,
                               preexec_fn=at_most_two_cpus)
    wait_for(lambda: os.path.exists(page) or process.poll() is not None, 120, f"{name}: the diagnosis page")
    _, stderr = end_jvm(process)
    stderr = stderr.decode(errors="replace")
    if not os.path.exists(page):
        fail(f"{name}: no page; the JVM said:\n{stderr}")
    data = page_data(page)
    print(f"--- {name}: " + "\n".join(f"{v['title']} | {v['evidence']}" for v in data["verdicts"]))
    check_common(name, data, stderr)
    return data, stderr


def check_common(name, data, summary):
    first = data["verdicts"][0]["title"]
    check(f"1. {first}" in summary, f"{name}: the terminal summary starts with the page's first verdict ({first})")
    points = len(data["memory"]["t"])
    # A point at the start and one per whole second after it, the last at the window's end.
    expected = int(data["seconds"]) + 1
    check(abs(points - expected) <= 1, f"{name}: {points} memory points for a {data['seconds']:.1f} s window")
    dumped = set(re.findall(r'^"([^"]*)" #', data["dump"], re.M))
    listed = {thread["name"] for thread in data["threads"]}
    check(dumped - {"hotframe diagnosis"} <= listed, f"{name}: every Java thread of the dump is in the threads table")


# CPU-bound: String.replaceAll holds nearly all the CPU and splits it between Pattern.compile and
# Matcher.replaceAll, close to evenly (on JDK 25 in a 4 s window Matcher.replaceAll came out the larger branch
# once, 42% of the CPU of String.replaceAll's 88%; 43-47% for Pattern.compile in other runs): the verdict names
# the larger branch (the rule's unit tests), so either is the hot frame here, with String.replaceAll its caller.
data, _ = diagnose_at_start("cpu_bound", "hotframe.examples.HighlightApp", ["naive", 100_000_000, 2])
first = data["verdicts"][0]
branches = {"Pattern.compile": "java.util.regex.Pattern.compile",
            "Matcher.replaceAll": "java.util.regex.Matcher.replaceAll"}
named = [short for short in branches if first["title"].startswith(f"Hot frame: {short},")]
check(len(named) == 1, f"cpu-bound: the first verdict is the hot frame Pattern.compile or Matcher.replaceAll, "
      f"the two branches of String.replaceAll ({first['title']})")
share = float(re.search(r"(\d+)% of CPU", first["title"]).group(1))
check(share >= 15 and first["tabs"][0] == "CPU", f"cpu-bound: {share}% of CPU, pointing to the CPU graph")
check(branches[named[0]] in first["evidence"] and "called from java.lang.String.replaceAll" in first["evidence"],
      f"cpu-bound: the evidence names the frame and its caller ({first['evidence']})")

# Mostly sleeping, through the launcher (jcmd): waiting, see Wall.
sleepy_page = os.path.join(directory, "sleepy.html")
sleepy = subprocess.Popen(java_command(None, "hotframe.examples.Sleepy", [600]), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, cwd=directory)
try:
    ready = sleepy.stdout.readline().decode().strip()
    check(ready == "ready", "sleepy: the example is ready")
    command = [launcher(), "--agent", agent_path(), "diagnose", "-d", str(WINDOW_SECONDS), "-f", sleepy_page]
    diagnose = subprocess.Popen(command + [str(sleepy.pid)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=directory)
    # While the window runs, the session is the diagnosis's: a stop is refused in one line, the page unharmed.
    wait_for(lambda: "diagnosis: running" in run_launcher("status", sleepy.pid).stdout, 120, "the diagnosis to run")
    refused = run_launcher("stop", "-f", os.path.join(directory, "stolen.html"), sleepy.pid)
    window_over = diagnose.poll() is not None
    stdout, stderr = diagnose.communicate(timeout=300)
    result = subprocess.CompletedProcess(diagnose.args, diagnose.returncode, stdout, stderr)
    if window_over:
        print("NOTE: the window ended before the stop was sent; the refusal was not tried")
    else:
        check(refused.returncode != 0 and "a diagnosis is running" in refused.stdout + refused.stderr,
              f"sleepy: a stop during the diagnosis is refused ({(refused.stdout + refused.stderr).strip()!r})")
        check(not os.path.exists(os.path.join(directory, "stolen.html")), "sleepy: the refused stop wrote nothing")
finally:
    end_jvm(sleepy)
check(result.returncode == 0, "sleepy: the launcher's diagnose exited 0")
data = page_data(sleepy_page)
check_common("sleepy", data, result.stdout)
first = data["verdicts"][0]
check(": waiting, not computing; see Wall" in first["title"] and first["tabs"][0] == "Wall",
      f"sleepy: the first verdict is waiting and points to Wall ({first['title']})")
cpu = float(re.search(r"CPU (\d+)%", first["title"]).group(1))
check(cpu < 20, f"sleepy: CPU {cpu}% of the CPUs available")
check("Thread.sleep" in first["evidence"], f"sleepy: the evidence names where threads wait ({first['evidence']})")

# A small heap under a high allocation rate: memory pressure, see Alloc and Memory.
data, _ = diagnose_at_start("small_heap", "hotframe.examples.Allocations", [600], ["-Xmx32m", "-XX:+UseG1GC"])
first = data["verdicts"][0]
check(first["title"].startswith("Memory pressure") and first["tabs"][:2] == ["Alloc", "Memory"],
      f"small heap: the first verdict is memory pressure, pointing to Alloc and Memory ({first['title']})")
check("allocation" in first["evidence"] and "Allocations.allocate" in first["evidence"],
      f"small heap: the evidence gives the allocation rate and the allocating method ({first['evidence']})")
collections = int(re.match(r"(\d+) pausing collections", first["evidence"]).group(1))
gc_points = sum(1 for i in range(1, len(data["memory"]["t"]))
                if any(c["pause"] and c["count"][i] > c["count"][i - 1] for c in data["memory"]["collectors"]))
check(collections > 0 and gc_points > 0, f"small heap: {collections} pausing collections, in {gc_points} seconds")

# A deadlock comes first, with both threads named.
data, _ = diagnose_at_start("deadlock", "hotframe.examples.Deadlocks", ["monitors"])
first = data["verdicts"][0]
check(first["title"].startswith("Deadlock: 2 threads (") and "monitor-a" in first["title"] and
      "monitor-b" in first["title"], f"deadlock: the first verdict names both threads ({first['title']})")
check(first["tabs"][0] == "Thread dump" and data["deadlocks"] and sorted(data["deadlocks"][0]) == ["monitor-a", "monitor-b"],
      "deadlock: it points to the thread dump, which lists the cycle")

# A contended monitor: lock waits, see Lock.
data, _ = diagnose_at_start("contended", "hotframe.examples.Locks", [600])
first = data["verdicts"][0]
check(first["title"].startswith("Lock waits total") and first["tabs"][0] == "Lock",
      f"contended: the first verdict is lock waits, pointing to Lock ({first['title']})")
check("Locks." in first["title"] and "java.lang.Object" in first["evidence"],
      f"contended: it names the waiting method and the lock's class ({first['evidence']})")
