"""The profile is written at VMDeath whichever way the JVM ends: main returning, System.exit, or SIGTERM; the
file is complete (an HTML file ends with </html>), no temporary file is left, and exit codes are unchanged."""

import os
import signal
import subprocess

from hotframe_test import check, end_jvm, fail, java_command, read_collapsed, total, work_dir

directory = work_dir("exit_paths")


def check_outputs(label, stem):
    html = os.path.join(directory, f"{stem}.html")
    with open(html, encoding="utf-8") as f:
        page = f.read()
    check(page.rstrip().endswith("</html>"), f"{label}: the HTML file is complete")
    check("ExitPaths.work" in page, f"{label}: the HTML names the hot method")
    leftovers = [name for name in os.listdir(directory) if ".tmp." in name]
    check(not leftovers, f"{label}: no temporary files left ({leftovers})")


for how, expected_code in (("return", 0), ("exit", 3)):
    stem = f"exit-{how}"
    command = java_command(f"start,event=cpu,interval=5ms,file={directory}/{stem}.html",
                           "hotframe.examples.ExitPaths", [how, 800])
    run = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=directory)
    print(f"--- {how}: exit {run.returncode}\n{run.stderr.strip()}")
    check(run.returncode == expected_code, f"{how}: the JVM's exit code {run.returncode} is {expected_code}")
    check_outputs(how, stem)

# SIGTERM: wait until the program says it is running (observable), then terminate it.
collapsed = os.path.join(directory, "sigterm.collapsed")
command = java_command(f"start,event=cpu,interval=5ms,file={collapsed}", "hotframe.examples.ExitPaths", ["wait", 500])
process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=directory)
line = process.stdout.readline()
if line.strip() != "ready":
    _, stderr = end_jvm(process)
    fail(f"the program did not start: {line!r} {stderr}")
process.send_signal(signal.SIGTERM)
_, stderr = process.communicate(timeout=60)
print(f"--- sigterm: exit {process.returncode}\n{stderr.strip()}")
check(process.returncode == 128 + signal.SIGTERM, f"sigterm: the JVM ended by SIGTERM (exit {process.returncode})")
stacks = read_collapsed(collapsed)
# 500 ms of work at 5 ms: 100 samples at most, fewer as the machine is busier; some are enough to show that the
# samples collected before SIGTERM were written.
check(total(stacks) >= 10, f"sigterm: the collapsed profile holds {total(stacks)} samples (>= 10)")
check(any("hotframe.examples.ExitPaths.work" in ";".join(frames) for frames, _ in stacks),
      "sigterm: the profile names ExitPaths.work")
