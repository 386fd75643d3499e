"""Thread dumps through the launcher: the same thread names and states as `jcmd <pid> Thread.print`, monitors
held and waited for with matching ids, a two-monitor and a two-ReentrantLock deadlock each reported with both
threads and both locks, none reported where there is none, 500 threads dumped completely, and JSON output."""

import json
import os
import re
import subprocess

from hotframe_test import RunningJava, at_most_two_cpus, check, java_home, run_launcher, wait_for, work_dir

directory = work_dir("thread_dump")


def parse_dump(text):
    """{name: state} from jstack-layout text (threads that have a java.lang.Thread.State line)."""
    states = {}
    for match in re.finditer(r'^"(.*)" #.*\n\s+java.lang.Thread.State: (\w+)', text, re.M):
        states.setdefault(match.group(1), match.group(2))
    return states


def thread_block(text, name):
    match = re.search(r'^"' + re.escape(name) + r'" #.*?\n\n', text, re.M | re.S)
    return match.group(0) if match else ""


# 1. No deadlock; compare with jcmd Thread.print. On two CPUs the JVM runs one C1 and one C2 compiler thread and
# starts no more on demand: with more CPUs it may start or end one between our dump and jcmd's.
with RunningJava("hotframe.examples.Deadlocks", ["none", 20], preexec_fn=at_most_two_cpus) as jvm:
    ours = run_launcher("threaddump", jvm.pid)
    check(ours.returncode == 0, "threaddump succeeds")
    jcmd = subprocess.run([os.path.join(java_home(), "bin", "jcmd"), str(jvm.pid), "Thread.print"],
                          capture_output=True, text=True, timeout=60).stdout
    ours_states, jcmd_states = parse_dump(ours.stdout), parse_dump(jcmd)
    # HotSpot hides its compiler and service threads from JVMTI; jcmd shows them. Ours lists them among the
    # other threads of the process, by native id.
    other_nids = {int(n, 16) for n in re.findall(r'^".*" nid=0x([0-9a-f]+) \(not visible to JVMTI', ours.stdout, re.M)}
    # jcmd prints the native id in hex up to JDK 20 and in decimal since.
    jcmd_nids = {name: int(nid, 0) for name, nid in re.findall(r'^"(.*)" #.* nid=(0x[0-9a-f]+|\d+)', jcmd, re.M)}
    hidden = {name for name in jcmd_states if name not in ours_states}
    check(all(jcmd_nids.get(name) in other_nids for name in hidden),
          f"jcmd's threads are all in our dump ({len(ours_states)} Java threads; {sorted(hidden)} listed by nid "
          f"among the threads hidden from JVMTI)")
    # The launcher's primordial thread ("java", waiting for main to end) is in the process but not the JVM's.
    check(re.search(r'^"java" nid=0x[0-9a-f]+ \(not a JVM thread', ours.stdout, re.M) is not None,
          "the launcher's thread is listed as not a JVM thread")
    check(not set(ours_states) - set(jcmd_states), f"no thread only in ours: {set(ours_states) - set(jcmd_states)}")
    differing = {n: (ours_states[n], jcmd_states[n]) for n in ours_states if ours_states[n] != jcmd_states.get(n)}
    check(not differing, f"same states as jcmd ({differing})")
    ours_nids = {name: int(nid, 16) for name, nid in re.findall(r'^"(.*)" #.* nid=0x([0-9a-f]+)', ours.stdout, re.M)}
    wrong_nid = {n: (ours_nids.get(n), jcmd_nids.get(n)) for n in ours_states if ours_nids.get(n) != jcmd_nids.get(n)}
    check(not wrong_nid, f"same native ids as jcmd ({wrong_nid})")
    holder, blocked = thread_block(ours.stdout, "holder"), thread_block(ours.stdout, "blocked")
    held = re.search(r"- locked <(0x[0-9a-f]+)> \(a java.lang.Object\)", holder)
    wanted = re.search(r"- waiting to lock <(0x[0-9a-f]+)> \(a java.lang.Object\)", blocked)
    check(held is not None and wanted is not None and held.group(1) == wanted.group(1),
          "'blocked' waits to lock the monitor 'holder' has locked (same id)")
    check("java.lang.Thread.State: BLOCKED (on object monitor)" in blocked, "'blocked' is BLOCKED (on object monitor)")
    waiter = thread_block(ours.stdout, "waiter")
    check("WAITING (on object monitor)" in waiter and "- waiting on <" in waiter, "'waiter' waits in Object.wait()")
    check(re.search(r"at hotframe\.examples\.Deadlocks\.\S+\(Deadlocks\.java:\d+\)", holder) is not None,
          "frames carry file names and line numbers")
    check(re.search(r"nid=0x[0-9a-f]+", holder) is not None, "threads carry their native id")
    check("No deadlocks found." in ours.stdout, "no deadlock reported where there is none")

    as_json = run_launcher("threaddump", "-o", "json", "-f", "dump.json", jvm.pid, cwd=directory)
    check(as_json.returncode == 0, "JSON threaddump to a file succeeds")
    with open(os.path.join(directory, "dump.json")) as f:
        parsed = json.load(f)
    check({t["name"] for t in parsed["threads"]} == set(ours_states), "the JSON lists the same threads")
    check(parsed["deadlocks"] == [], "the JSON lists no deadlock")

# 2 and 3. Deadlocks on monitors and on ReentrantLocks.
for mode, names, lock_class in (("monitors", ("monitor-a", "monitor-b"), "java.lang.Object"),
                                ("locks", ("lock-a", "lock-b"), "java.util.concurrent.locks.ReentrantLock$NonfairSync")):
    with RunningJava("hotframe.examples.Deadlocks", [mode]) as jvm:
        dumps = []

        def deadlock_seen():
            dumps.append(run_launcher("threaddump", jvm.pid).stdout)
            return "Found one Java-level deadlock" in dumps[-1]

        wait_for(deadlock_seen, 30, f"the {mode} deadlock to show")
        text = dumps[-1]
        section = text[text.index("Found one Java-level deadlock"):]
        for name in names:
            check(f'"{name}":' in section, f"{mode}: the deadlock names thread {name}")
        locks = re.findall(r"(?:object |synchronizer )(0x[0-9a-f]+), \(?a " + re.escape(lock_class), section)
        check(len(set(locks)) == 2, f"{mode}: the deadlock names both locks ({sorted(set(locks))}, {lock_class})")
        check("Found 1 deadlock." in text, f"{mode}: exactly one deadlock")

# 4. 500 threads.
with RunningJava("hotframe.examples.Deadlocks", ["none", 500]) as jvm:
    text = run_launcher("threaddump", "-f", "big.txt", jvm.pid, cwd=directory)
    with open(os.path.join(directory, "big.txt")) as f:
        states = parse_dump(f.read())
    missing = [i for i in range(500) if f"idle-{i}" not in states]
    check(not missing, f"all 500 idle threads are in the dump ({len(states)} threads; missing {missing[:5]})")
    check(all(states[f"idle-{i}"] == "TIMED_WAITING" for i in range(500)), "each is TIMED_WAITING (sleeping)")
