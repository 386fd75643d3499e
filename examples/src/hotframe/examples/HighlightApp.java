package hotframe.examples;

import java.util.List;

/**
 * Runs HighlightService over a fixed set of documents.
 * Usage: HighlightApp naive|cached [iterations] [threads]
 * A fixed amount of work (not a fixed time), so that CPU seconds compare across runs.
 */
public final class HighlightApp {
    private static final List<String> TERMS = List.of("profiler", "latency", "garbage", "thread", "signal",
            "compiler", "inline", "stack", "sample", "flame", "regex", "pattern");

    private static final String[] DOCUMENTS = {
        "A sampling profiler interrupts each thread and records its stack; the flame graph shows where time goes.",
        "Latency spikes often come from garbage collection pauses or from a lock held by another thread.",
        "The JIT compiler may inline a small method into its caller, which changes what a stack trace shows.",
        "Each signal delivered to a thread costs a little CPU, so the sample interval trades detail for overhead.",
        "Compiling a regex pattern on every call is a classic hot spot that a cached Pattern avoids entirely.",
    };

    public static void main(String[] args) throws InterruptedException {
        boolean cached = args.length > 0 && args[0].equals("cached");
        long iterations = args.length > 1 ? Long.parseLong(args[1]) : 400_000;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        HighlightService service = new HighlightService(TERMS);
        long[] checksums = new long[threads];
        Thread[] workers = new Thread[threads];
        long started = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            final int index = t;
            workers[t] = new Thread(() -> {
                long checksum = 0;
                for (long i = 0; i < iterations; i++) {
                    String document = DOCUMENTS[(int) (i % DOCUMENTS.length)];
                    String highlighted = cached ? service.highlightCached(document) : service.highlightNaive(document);
                    checksum += highlighted.length();
                }
                checksums[index] = checksum;
            }, "highlight-worker-" + t);
            workers[t].start();
        }
        long checksum = 0;
        for (int t = 0; t < threads; t++) {
            workers[t].join();
            checksum += checksums[t];
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("mode=%s iterations=%d threads=%d seconds=%.3f ops_per_s=%.0f checksum=%d%n",
                cached ? "cached" : "naive", iterations, threads, seconds, iterations * threads / seconds, checksum);
    }
}
