"""The cpu engine's fallback for kernels that refuse perf_event (forced here with HOTFRAME_CPU_ENGINE=timer):
a POSIX timer on each thread's CPU clock. The log says which engine runs, and the profile is as truthful:
Pattern.compile's share on the naive path and a sample count within 20% of CPU time / interval."""

import os

from hotframe_test import (check, has_frame_under, profiled_cpu_seconds, read_collapsed, run_java_measured, share,
                           total, work_dir)

directory = work_dir("cpu_timer_fallback")
output = os.path.join(directory, "timer.collapsed")
os.environ["HOTFRAME_CPU_ENGINE"] = "timer"
run = run_java_measured(f"start,event=cpu,interval=10ms,file={output}", "hotframe.examples.HighlightApp",
                        ["naive", 600_000], cwd=directory)
print(run.stderr.strip())
check(run.returncode == 0, "the JVM exited 0")
check("timer_create" in run.stderr, "the log names the POSIX timer engine")
stacks = read_collapsed(output)
# The CPU before profiling started (start-up, the agent's set-up) is not sampled: it is left out.
profiled = profiled_cpu_seconds(run)
check(profiled is not None, "the start-up log says the process's CPU before profiling")
expected = profiled * 100
check(abs(total(stacks) - expected) <= 0.2 * expected,
      f"{total(stacks)} samples for {profiled:.2f}s of CPU after profiling started ({run.cpu_seconds:.2f}s in "
      f"all), expected {expected:.0f} ±20%")
compile_share = share(stacks, lambda f: has_frame_under(f, "HighlightService.highlight", "Pattern.compile"))
check(compile_share >= 0.25, f"Pattern.compile under HighlightService is {compile_share:.1%} (>= 25%)")
