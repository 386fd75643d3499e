"""event=wall against event=cpu on threads whose split is known (examples/WallClock): "sleeper" computes 10 ms and
sleeps 90 ms, "queue-waiter" is blocked on an empty queue, "spinner" computes all the time, and 60 "idle-N" threads
wait. Wall shows Thread.sleep near 90% of the sleeper's time and the blocked threads at full width; cpu shows
neither. With more threads than are signalled per tick, every thread still gets its turn and the weights of each
add up to the time it lived."""

import os

from hotframe_test import check, collapsed_header, read_collapsed, run_java, work_dir

SECONDS = 6
IDLE_THREADS = 60
THREADS_PER_TICK = 16  # WallClockEngine::kThreadsPerTick
INTERVAL_MS = 10


def by_thread(stacks):
    threads = {}
    for frames, count in stacks:
        threads.setdefault(frames[0].split(" tid=")[0].lstrip("["), []).append((frames, count))
    return threads


def part(stacks, predicate):
    whole = sum(count for _, count in stacks)
    return sum(count for frames, count in stacks if predicate(frames)) / whole if whole else 0.0


directory = work_dir("wall")
args = [10, 90, SECONDS, IDLE_THREADS]

wall_file = os.path.join(directory, "wall.collapsed")
run = run_java(f"start,event=wall,interval={INTERVAL_MS}ms,threads,total,file={wall_file}",
               "hotframe.examples.WallClock", args, cwd=directory)
check(run.returncode == 0, f"wall: the JVM exited 0 ({run.stderr.strip()[-300:]})")
check("nanoseconds of wall-clock time" in collapsed_header(wall_file),
      f"wall: the header says what the values are: {collapsed_header(wall_file)!r}")
wall = by_thread(read_collapsed(wall_file))
print({name: sum(c for _, c in stacks) // 1_000_000 for name, stacks in wall.items() if not name.startswith("idle")})

sleeper = wall.get("sleeper", [])
sleep_share = part(sleeper, lambda f: any("java.lang.Thread.sleep" in x for x in f))
check(0.8 <= sleep_share <= 0.97, f"wall: Thread.sleep holds {sleep_share:.1%} of the sleeper's time (about 90%)")
asleep = part(sleeper, lambda f: f[-1] == "[sleeping]")
check(0.8 <= asleep <= 0.97, f"wall: the sleeper's leaf says [sleeping] for {asleep:.1%} of its time")
running = part(wall.get("spinner", []), lambda f: f[-1] == "[running]")
check(running >= 0.9, f"wall: the spinner is [running] for {running:.1%} of its time")
waiter = wall.get("queue-waiter", [])
waiter_ms = sum(count for _, count in waiter) / 1e6
check(part(waiter, lambda f: any("LinkedBlockingQueue.take" in x for x in f)) > 0.95,
      "wall: the queue-waiter is shown blocked in LinkedBlockingQueue.take")
check(waiter_ms >= 0.7 * SECONDS * 1000, f"wall: the queue-waiter has {waiter_ms:.0f} ms of wall time "
                                         f"over a {SECONDS} s run (>= 70%)")

# Bounded: 60+ threads, at most 16 signalled per tick, yet every idle thread is visited, and the time its samples
# stand for adds up to about the time it existed.
idle = [name for name in wall if name.startswith("idle-")]
check(len(idle) == IDLE_THREADS, f"wall: all {IDLE_THREADS} idle threads were sampled ({len(idle)})")
idle_ms = sorted(sum(count for _, count in wall[name]) / 1e6 for name in idle)
median = idle_ms[len(idle_ms) // 2]
check(0.6 * SECONDS * 1000 <= median <= 1.3 * SECONDS * 1000,
      f"wall: an idle thread's samples stand for {median:.0f} ms (median) of a {SECONDS} s run")
internal = [name for name in wall if "CompilerThre" in name or name.startswith("GC ")]
check(not internal, f"wall: JVM threads without Java frames are left out ({internal})")

samples_file = os.path.join(directory, "wall-samples.collapsed")
run = run_java(f"start,event=wall,interval={INTERVAL_MS}ms,file={samples_file}", "hotframe.examples.WallClock",
               args, cwd=directory)
check(run.returncode == 0, "wall (samples): the JVM exited 0")
samples = sum(count for _, count in read_collapsed(samples_file))
ticks = SECONDS * 1000 / INTERVAL_MS
check(samples <= 1.1 * THREADS_PER_TICK * ticks,
      f"wall: {samples} samples in {ticks:.0f} ticks: at most {THREADS_PER_TICK} threads per tick")

cpu_file = os.path.join(directory, "cpu.collapsed")
run = run_java(f"start,event=cpu,interval={INTERVAL_MS}ms,threads,file={cpu_file}", "hotframe.examples.WallClock",
               args, cwd=directory)
check(run.returncode == 0, "cpu: the JVM exited 0")
cpu = by_thread(read_collapsed(cpu_file))
cpu_sleep = part(cpu.get("sleeper", []), lambda f: any("java.lang.Thread.sleep" in x for x in f))
check(cpu_sleep < 0.1, f"cpu: Thread.sleep holds {cpu_sleep:.1%} of the sleeper's samples (almost none)")
cpu_total = sum(count for stacks in cpu.values() for _, count in stacks)
blocked = sum(count for name in cpu if name == "queue-waiter" or name.startswith("idle-") for _, count in cpu[name])
check(blocked <= 0.01 * cpu_total, f"cpu: blocked threads have {blocked} of {cpu_total} samples (about none)")
