"""The HTML flame graph of a real profile works in a browser: headless Chromium loads the page produced from
the naive regex example, and test/browser/check_flamegraph.mjs checks for script errors, a drawn canvas,
search (Pattern.compile's matched share must be at least 25%), zoom, reset and Ctrl+F. Lock and allocation
pages show their weights in human units in the tooltip (time waited in ms or s, bytes in KiB/MiB/GiB), a lock
page's search share is a share of the time waited, and a C++ frame shown without its parameter list
(Thread::call_run) has its full name in the tooltip."""

import os
import re
import shutil
import subprocess
import sys

from hotframe_test import SKIP, build_dir, check, run_java, skip, work_dir

node = shutil.which("node")
if node is None or not os.path.exists("/usr/bin/chromium"):
    skip("node or /usr/bin/chromium is missing (scripts/setup --browser installs them)")
node_modules = os.path.abspath(os.path.join(build_dir(), "node", "node_modules"))
if not os.path.isdir(os.path.join(node_modules, "playwright-core")):
    skip(f"playwright-core is not installed in {node_modules} (scripts/setup --browser installs it)")

directory = work_dir("flamegraph_browser")
page = os.path.join(directory, "naive.html")
run = run_java(f"start,event=cpu,interval=5ms,file={page}", "hotframe.examples.HighlightApp", ["naive", 300_000],
               cwd=directory)
check(run.returncode == 0, "the profiled JVM exited 0")

script = os.path.join(os.path.dirname(__file__), "..", "browser", "check_flamegraph.mjs")
screenshot = os.path.join(directory, "naive.png")
result = subprocess.run([node, script, page, "java.util.regex.Pattern.compile", screenshot],
                        env=dict(os.environ, HOTFRAME_NODE_MODULES=node_modules), capture_output=True, text=True,
                        timeout=120)
print(result.stdout.strip())
print(result.stderr.strip())
if result.returncode == SKIP:
    sys.exit(SKIP)
check(result.returncode == 0, "the page passed the browser checks")
matched = re.search(r"Matched: ([0-9.]+)%", result.stdout)
check(matched is not None and float(matched.group(1)) >= 25.0,
      f"search for Pattern.compile matched {matched.group(1) if matched else '?'}% of samples (>= 25%)")


def check_page(page, frame, tooltip_pattern, what, tooltip_of=""):
    shot = page.replace(".html", ".png")
    outcome = subprocess.run([node, script, page, frame, shot, tooltip_pattern] + ([tooltip_of] if tooltip_of else []),
                             env=dict(os.environ, HOTFRAME_NODE_MODULES=node_modules), capture_output=True,
                             text=True, timeout=120)
    print(outcome.stdout.strip())
    print(outcome.stderr.strip())
    check(outcome.returncode == 0, f"{what}: the page passed the browser checks")
    return outcome.stdout


lock_page = os.path.join(directory, "lock.html")
run = run_java(f"start,event=lock,file={lock_page}", "hotframe.examples.Locks", [3], cwd=directory)
check(run.returncode == 0, "the lock-profiled JVM exited 0")
out = check_page(lock_page, "java.lang.Object", r"Time waited: [0-9.,]+ (ms|s) \([0-9.]+% of total\)", "lock")
matched = re.search(r"Matched: ([0-9.]+)% \(([^)]*)\)", out)
check(matched is not None and float(matched.group(1)) >= 50 and ("ms" in matched.group(2) or " s" in matched.group(2)),
      f"lock: the monitor's matched share is a share of time waited ({matched.group(0) if matched else '?'})")

alloc_page = os.path.join(directory, "alloc.html")
run = run_java(f"start,event=alloc,total,file={alloc_page}", "hotframe.examples.Allocations", [2], cwd=directory)
check(run.returncode == 0, "the allocation-profiled JVM exited 0")
check_page(alloc_page, "long[]", r"Bytes allocated \(estimated\): [0-9.,]+ (KiB|MiB|GiB)", "alloc")

# A C++ frame is shown without its parameter list; its tooltip gives the full name.
native_page = os.path.join(directory, "native.html")
run = run_java(f"start,event=cpu,interval=5ms,file={native_page}", "hotframe.examples.Allocations", [2],
               jvm_flags=["-Xmx64m", "-XX:+UseG1GC"], cwd=directory)
check(run.returncode == 0, "the natively profiled JVM exited 0")
check_page(native_page, "Thread::call_run", r"^Thread::call_runThread::call_run\(\)Kind: C\+\+", "native",
           "expected-frame")

# A differential page: naive against cached, tooltips give both shares and the change.
cached_page = os.path.join(directory, "cached.collapsed")
naive_collapsed = os.path.join(directory, "naive.collapsed")
for mode, path in (("naive", naive_collapsed), ("cached", cached_page)):
    run = run_java(f"start,event=cpu,interval=5ms,file={path}", "hotframe.examples.HighlightApp", [mode, 300_000],
                   cwd=directory)
    check(run.returncode == 0, f"{mode}: the JVM exited 0")
diff_page = os.path.join(directory, "diff.html")
made = subprocess.run([os.path.join(build_dir(), "hotframe-tool"), "diff", naive_collapsed, cached_page, "-f",
                       diff_page], capture_output=True, text=True, timeout=60)
check(made.returncode == 0, f"hotframe-tool diff wrote the page ({made.stderr.strip()})")
out = check_page(diff_page, "java.util.regex.Pattern.compile",
                 r"Before: [0-9.<]+% of total, after: [0-9.<]+%Change: [+\u2212][0-9.]+ points", "diff")
matched = re.search(r"Matched: [0-9.]+% \(before ([0-9.]+)%, after ([0-9.]+)%\)", out)
check(matched is not None and float(matched.group(1)) >= 25 and float(matched.group(2)) < 5,
      f"diff: Pattern.compile matched before >= 25%, after < 5% ({matched.group(0) if matched else '?'})")
