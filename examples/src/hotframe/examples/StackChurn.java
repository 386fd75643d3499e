package hotframe.examples;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A workload that never stops meeting new things, for soak tests of a profiler's memory: two threads walk a
 * random path through eight methods (up to 60 calls deep, so nearly every sample is a stack not seen before),
 * and a third keeps defining classes under new names (copies of unload.HotLoop renamed to unload.G0000001,
 * G0000002, ...; each in its own loader so that old ones can be unloaded) and running them.
 * Prints "ready" once all threads run, then works until the given seconds have passed.
 * Usage: StackChurn [seconds]
 */
public final class StackChurn {
    private static final String TEMPLATE = "hotframe/examples/unload/HotLoop";
    private static volatile long sink;

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 60;
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        byte[] template = readTemplate();
        Thread[] threads = {
            new Thread(() -> walkUntil(deadline), "walker-1"),
            new Thread(() -> walkUntil(deadline), "walker-2"),
            new Thread(() -> defineUntil(deadline, template), "class-maker"),
        };
        for (Thread thread : threads) thread.start();
        System.out.println("ready");
        System.out.flush();
        for (Thread thread : threads) thread.join();
    }

    private static void walkUntil(long deadline) {
        while (System.nanoTime() < deadline) sink += step(ThreadLocalRandom.current().nextInt(20, 60));
    }

    // Eight methods that call each other at random: the path down is the stack, and paths rarely repeat.
    static long step(int depth) {
        if (depth == 0) return spin(2000);
        switch (ThreadLocalRandom.current().nextInt(8)) {
            case 0: return a(depth - 1);
            case 1: return b(depth - 1);
            case 2: return c(depth - 1);
            case 3: return d(depth - 1);
            case 4: return e(depth - 1);
            case 5: return f(depth - 1);
            case 6: return g(depth - 1);
            default: return h(depth - 1);
        }
    }

    static long a(int depth) { return step(depth) + 1; }
    static long b(int depth) { return step(depth) + 2; }
    static long c(int depth) { return step(depth) + 3; }
    static long d(int depth) { return step(depth) + 4; }
    static long e(int depth) { return step(depth) + 5; }
    static long f(int depth) { return step(depth) + 6; }
    static long g(int depth) { return step(depth) + 7; }
    static long h(int depth) { return step(depth) + 8; }

    static long spin(int rounds) {
        long x = 5;
        for (int i = 0; i < rounds; i++) x = x * 2862933555777941757L + i;
        return x;
    }

    private static byte[] readTemplate() throws IOException {
        try (InputStream in = StackChurn.class.getClassLoader().getResourceAsStream(TEMPLATE + ".class")) {
            return in.readAllBytes();
        }
    }

    /** Defines one class from bytes under a name of its own. */
    static final class OneClassLoader extends ClassLoader {
        OneClassLoader() {
            super(StackChurn.class.getClassLoader());
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }

    private static void defineUntil(long deadline, byte[] template) {
        int generation = 0;
        while (System.nanoTime() < deadline) {
            generation++;
            // "HotLoop" and "G" + six digits have the same length, so every constant-pool entry keeps its size.
            String simple = String.format("G%06d", generation % 1_000_000);
            byte[] bytes = rename(template, TEMPLATE, "hotframe/examples/unload/" + simple);
            try {
                Class<?> made = new OneClassLoader().define("hotframe.examples.unload." + simple, bytes);
                Method spin = made.getMethod("spin", int.class);
                for (int i = 0; i < 20; i++) sink += (Long) spin.invoke(null, 20_000);
            } catch (ReflectiveOperationException | LinkageError error) {
                throw new IllegalStateException(error);
            }
        }
    }

    private static byte[] rename(byte[] bytes, String from, String to) {
        byte[] pattern = from.getBytes(StandardCharsets.UTF_8);
        byte[] replacement = to.getBytes(StandardCharsets.UTF_8);
        byte[] out = bytes.clone();
        for (int i = 0; i + pattern.length <= out.length; i++) {
            boolean match = true;
            for (int j = 0; j < pattern.length && match; j++) match = out[i + j] == pattern[j];
            if (match) System.arraycopy(replacement, 0, out, i, replacement.length);
        }
        return out;
    }
}
