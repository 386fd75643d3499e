"""Native frames above Java frames: NativeChecksum's thread "jni-worker" calls a JNI method whose time goes into
one C helper, checksum_block. With cstack=dwarf the stack reads ...;NativeChecksum.checksumLoop;
NativeChecksum.checksum;Java_hotframe_examples_NativeChecksum_checksum;checksum_block in at least 80% of that
thread's samples. With cstack=fp the helper, a leaf without a frame pointer (gcc omits them in leaf functions),
is still named right under the Java native method, but hides its caller. With cstack=no no native frame appears:
Java frames may sit above the native method (on its first call the JVM links it through ClassLoader.findNative),
so frames are told apart by the kind the profile gives them (ann), not by where they are.
The library is loaded after the profile started, so the walk must learn about it on the way."""

import os

from hotframe_test import build_dir, check, read_collapsed, run_java, work_dir

directory = work_dir("jni_frames")
LIBRARY = os.path.abspath(os.path.join(build_dir(), "examples", "libhotframe_jni_example.so"))
FLAGS = [f"-Dhotframe.jni.library={LIBRARY}"]
NATIVE_METHOD = "hotframe.examples.NativeChecksum.checksum"
JNI_FUNCTION = "Java_hotframe_examples_NativeChecksum_checksum"


def worker_stacks(cstack, annotate=False):
    output = os.path.join(directory, f"{cstack}.collapsed")
    run = run_java(f"start,event=cpu,interval=5ms,threads,{'ann,' if annotate else ''}cstack={cstack},file={output}",
                   "hotframe.examples.NativeChecksum", [3], jvm_flags=FLAGS, cwd=directory)
    check(run.returncode == 0, f"cstack={cstack}: the JVM exited 0 ({run.stderr.strip()[-300:]})")
    stacks = [(frames[1:], count) for frames, count in read_collapsed(output) if frames[0].startswith("[jni-worker")]
    samples = sum(count for _, count in stacks)
    # How many follows the CPU the machine gives the thread (600 at most in 3 s at 5 ms); the shares below need
    # only enough of them to mean something.
    check(samples >= 50, f"cstack={cstack}: jni-worker has {samples} samples (>= 50, enough for the shares)")
    return stacks, samples


def after_native_method(frames):
    """The frames above the Java native method, or None if it is not in the stack."""
    if NATIVE_METHOD not in frames:
        return None
    return frames[frames.index(NATIVE_METHOD) + 1:]


stacks, samples = worker_stacks("dwarf")
full = sum(count for frames, count in stacks
           if frames[-4:] == ["hotframe.examples.NativeChecksum.checksumLoop", NATIVE_METHOD, JNI_FUNCTION,
                              "checksum_block"])
print(f"dwarf: {full} of {samples} jni-worker samples end in ...checksumLoop;checksum;{JNI_FUNCTION};checksum_block")
check(full >= 0.8 * samples, f"dwarf: the stitched stack holds {full / samples:.1%} of the thread's samples (>= 80%)")

stacks, samples = worker_stacks("fp")
helper = sum(count for frames, count in stacks
             if (after_native_method(frames) or [None])[-1] == "checksum_block" and len(after_native_method(frames)) <= 2)
print(f"fp: {helper} of {samples} jni-worker samples have checksum_block right above the native method")
check(helper >= 0.8 * samples, f"fp: checksum_block above the native method in {helper / samples:.1%} (>= 80%)")

# Annotated: Java frames end in _[j] or _[i]; the Java native method itself is of native kind and has no suffix.
stacks, samples = worker_stacks("no", annotate=True)


def is_java(frame):
    return frame.endswith("_[j]") or frame.endswith("_[i]")


native = [frames for frames, _ in stacks
          if not all(is_java(f) for f in after_native_method(frames) or [])
          or any(f.startswith(JNI_FUNCTION) or f.startswith("checksum_block") for f in frames)]
java_above = sum(count for frames, count in stacks if after_native_method(frames))
print(f"cstack=no: {java_above} of {samples} samples have Java frames above the native method "
      f"(the JVM linking it), e.g. {next((f for f, _ in stacks if after_native_method(f)), [])[-3:]}")
check(not native, f"cstack=no: no native frame above the Java native method ({native[:1]})")
in_method = sum(count for frames, count in stacks if frames[-1] == NATIVE_METHOD)
check(in_method >= 0.8 * samples, f"cstack=no: the native method is the leaf of {in_method / samples:.1%} (>= 80%)")
