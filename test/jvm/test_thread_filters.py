"""Thread filters by attach, in cpu and itimer mode: -I 'http-nio-*' keeps only the http-nio-8080-exec-*
threads' samples, -X 'http-nio-*' the others, -t puts one root per thread."""

import os

from hotframe_test import RunningJava, check, read_collapsed, run_launcher, total, work_dir

directory = work_dir("thread_filters")
with RunningJava("hotframe.examples.NamedThreads", [120, 2, 2]) as jvm:
    for event in ("cpu", "itimer"):
        path = os.path.join(directory, f"http-{event}.collapsed")
        result = run_launcher("-d", "3", "-e", event, "-I", "http-nio-*", "-f", path, jvm.pid)
        check(result.returncode == 0, f"{event}: -I run succeeds")
        stacks = read_collapsed(path)
        batch = sum(c for frames, c in stacks if any("runBatch" in f for f in frames))
        http = sum(c for frames, c in stacks if any("handleRequest" in f for f in frames))
        check(total(stacks) > 50 and batch == 0, f"{event}: -I holds no batch-worker samples ({batch} of {total(stacks)})")
        check(http >= 0.8 * total(stacks), f"{event}: -I is mostly handleRequest ({http} of {total(stacks)})")

    path = os.path.join(directory, "no-http.collapsed")
    result = run_launcher("-d", "3", "-X", "http-nio-*", "-f", path, jvm.pid)
    stacks = read_collapsed(path)
    http = sum(c for frames, c in stacks if any("handleRequest" in f for f in frames))
    batch = sum(c for frames, c in stacks if any("runBatch" in f for f in frames))
    check(result.returncode == 0 and http == 0 and batch > 50, f"-X drops the http threads ({http} left, {batch} batch)")

    path = os.path.join(directory, "threads.collapsed")
    result = run_launcher("-d", "3", "-t", "-f", path, jvm.pid)
    stacks = read_collapsed(path)
    roots = {frames[0] for frames, _ in stacks}
    check(all(r.startswith("[") and " tid=" in r for r in roots), f"-t: every stack starts at a thread root")
    names = {r[1:].rsplit(" tid=", 1)[0] for r in roots}
    expected = {"http-nio-8080-exec-1", "http-nio-8080-exec-2", "batch-worker-1", "batch-worker-2"}
    check(expected <= names, f"-t: one root per busy thread ({sorted(names)})")
    for frames, _ in stacks:
        name = frames[0]
        if name.startswith("[http-nio") and any("runBatch" in f for f in frames):
            check(False, f"-t: a batch frame under an http thread root: {frames}")
