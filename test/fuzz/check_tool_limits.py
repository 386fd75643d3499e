#!/usr/bin/env python3
"""Runs hotframe-tool on each crafted file of make_corpus.py under `ulimit -v 1048576` (1 GiB of address
space), as `report` and as `diff` against a good profile, and checks that a hostile file gives exit status 1,
exactly one line on stderr naming the limit or overflow expected.txt gives, nothing on stdout, and no abort or
core; and that the file of control characters is reported with them escaped.

    check_tool_limits.py HOTFRAME_TOOL CORPUS_DIR
"""
import os
import resource
import signal
import subprocess
import sys
import tempfile

ADDRESS_SPACE = 1048576 * 1024  # ulimit -v counts KiB


def limited():
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run(tool, args):
    return subprocess.run([tool] + args, preexec_fn=limited, capture_output=True, timeout=120)


def check_refused(tool, args, expected, failures):
    result = run(tool, args)
    what = " ".join(args)
    lines = result.stderr.decode(errors="replace").splitlines()
    if result.returncode < 0:
        failures.append(f"{what}: killed by {signal.Signals(-result.returncode).name}")
    elif result.returncode != 1:
        failures.append(f"{what}: exit status {result.returncode}, expected 1")
    if len(lines) != 1:
        failures.append(f"{what}: {len(lines)} lines on stderr, expected 1: {lines[:3]}")
    elif not lines[0].startswith("hotframe: error: ") or expected not in lines[0]:
        failures.append(f"{what}: '{lines[0]}' does not name '{expected}'")
    if result.stdout:
        failures.append(f"{what}: wrote {len(result.stdout)} bytes to stdout")
    print(f"{what}: exit {result.returncode}: {lines[0] if lines else ''}")


def check_escaped(tool, args, failures):
    result = run(tool, args)
    what = " ".join(args)
    controls = [b for b in result.stdout if (b < 0x20 and b != 0x0A) or b == 0x7F]
    if result.returncode != 0:
        failures.append(f"{what}: exit status {result.returncode}: {result.stderr!r}")
    if controls:
        failures.append(f"{what}: control bytes reach the terminal: {bytes(controls)!r}")
    if b"\\x1b[2J" not in result.stdout:
        failures.append(f"{what}: the escaped name is missing from {result.stdout[:200]!r}")
    print(f"{what}: exit {result.returncode}, {len(result.stdout)} bytes, no control bytes: {not controls}")


def main():
    tool, corpus = sys.argv[1], sys.argv[2]
    with open(os.path.join(corpus, "expected.txt")) as manifest:
        expected = dict(line.rstrip("\n").split("\t") for line in manifest if line.strip())
    failures = []
    with tempfile.TemporaryDirectory() as scratch:
        good = os.path.join(scratch, "good.collapsed")
        with open(good, "w") as out:
            out.write("main;work 3\nmain;idle 1\n")
        for name, words in sorted(expected.items()):
            path = os.path.join(corpus, name)
            if words == "ok":
                check_escaped(tool, ["report", path], failures)
                check_escaped(tool, ["diff", good, path], failures)
            else:
                check_refused(tool, ["report", path], words, failures)
                check_refused(tool, ["diff", good, path], words, failures)
        # The size check reads in chunks, so a profile through a pipe still works.
        piped = subprocess.run([tool, "report", "/dev/stdin"], input=b"main;work 3\nmain;idle 1\n",
                               preexec_fn=limited, capture_output=True, timeout=60)
        if piped.returncode != 0 or b"75.00%" not in piped.stdout:
            failures.append(f"report /dev/stdin from a pipe: exit {piped.returncode}: {piped.stderr!r}")
    for failure in failures:
        print("FAIL: " + failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
