"""A bad option string makes the JVM refuse to start (non-zero exit) with one clear error line on stderr that
names the problem; nothing is silently ignored."""

import os

from hotframe_test import check, run_java, work_dir

directory = work_dir("bad_options")
cases = [
    ("start,bogus", "unknown option 'bogus'"),
    ("start,event=wallclock", "unknown event 'wallclock'"),
    ("start,interval=fast", "invalid interval 'fast'"),
    ("start,interval=1us", "too small"),
    ("start,,file=x.html", "empty option"),
    ("stop", "cannot be used at JVM start-up"),
    ("start,loglevel=loud", "unknown log level 'loud'"),
    ("start,file=/nonexistent-dir/out.html", "/nonexistent-dir"),
    ("start,log=/nonexistent-dir/hotframe.log", "cannot open log file"),
    # Refused when given, not after an hour of profiling: paths that can never be written, and words that mean
    # nothing where they stand.
    ("start,file=.", "names a directory"),
    ("start,file=profiles/", "names a directory"),
    (f"start,file={directory}", "it is a directory"),
    ("start,file=" + "n" * 245 + ".html", "too long"),
    ("start,duration=30s", "timeout="),
    ("start,interval=1ms,interval=2ms", "given twice"),
    ("start,loop=18446744073s,dir=/tmp", "invalid loop"),
]
for options, expected in cases:
    run = run_java(options, "hotframe.examples.HighlightApp", ["cached", 10], cwd=directory)
    error_lines = [line for line in run.stderr.splitlines() if line.startswith("[hotframe] error:")]
    print(f"--- {options}: exit {run.returncode}\n{run.stderr.strip()}")
    check(run.returncode != 0, f"'{options}': the JVM refused to start")
    check(len(error_lines) == 1 and expected in error_lines[0],
          f"'{options}': one error line containing \"{expected}\"")
    check("mode=cached" not in run.stdout, f"'{options}': the program did not run")

# And a good string still works, with no error line.
output = os.path.join(directory, "good.collapsed")
run = run_java(f"start,event=cpu,file={output}", "hotframe.examples.HighlightApp", ["cached", 1000], cwd=directory)
check(run.returncode == 0 and "[hotframe] error" not in run.stderr, "a good option string runs cleanly")
check(os.path.getsize(output) > 0, "and writes its profile")
