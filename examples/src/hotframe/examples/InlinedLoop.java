package hotframe.examples;

/**
 * One thread, "inlined-loop", that spends its time in a hot loop calling a small method, mix, which the JIT
 * compilers inline into the loop (C1 and C2 alike); under -Xint both stay interpreted frames. The profile of
 * that thread is loop with mix above it, so that a profiler's frame kinds can be checked against what ran.
 * Usage: InlinedLoop [seconds]
 */
public final class InlinedLoop {
    private static volatile long sink;

    public static void main(String[] args) throws InterruptedException {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        Thread worker = new Thread(() -> {
            long acc = 1;
            while (System.nanoTime() < deadline) acc = loop(acc);
            sink = acc;
        }, "inlined-loop");
        worker.start();
        worker.join();
    }

    static long loop(long seed) {
        long acc = seed;
        for (int i = 0; i < 20_000; i++) acc = mix(acc, i);
        return acc;
    }

    static long mix(long value, int salt) {
        long x = value ^ (salt * 0x9E3779B97F4A7C15L);
        x ^= x >>> 31;
        x *= 0xBF58476D1CE4E5B9L;
        x ^= x >>> 27;
        x *= 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }
}
