"""The HTML flame graph of a real profile works in a browser: headless Chromium loads the page produced from
the naive regex example, and test/browser/check_flamegraph.mjs checks for script errors, a drawn canvas,
search (Pattern.compile's matched share must be at least 25%), zoom, reset and Ctrl+F."""

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
