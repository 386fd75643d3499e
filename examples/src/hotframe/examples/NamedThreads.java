package hotframe.examples;

/**
 * Busy threads with the names a servlet container gives its workers, beside other busy threads, so that thread
 * filters can be checked: http-nio-8080-exec-N threads spend their time in handleRequest, batch-worker-N
 * threads in runBatch. Prints "ready" once all threads run, then works until the given seconds have passed.
 * Usage: NamedThreads [seconds] [http threads] [batch threads]
 */
public final class NamedThreads {
    private static volatile long sink;

    public static void main(String[] args) throws InterruptedException {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 30;
        int http = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        Thread[] threads = new Thread[http + batch];
        for (int i = 0; i < http; i++) {
            threads[i] = new Thread(() -> { while (System.nanoTime() < deadline) sink += handleRequest(); },
                    "http-nio-8080-exec-" + (i + 1));
        }
        for (int i = 0; i < batch; i++) {
            threads[http + i] = new Thread(() -> { while (System.nanoTime() < deadline) sink += runBatch(); },
                    "batch-worker-" + (i + 1));
        }
        for (Thread thread : threads) thread.start();
        System.out.println("ready");
        System.out.flush();
        for (Thread thread : threads) thread.join();
    }

    static long handleRequest() {
        long x = 7;
        for (int i = 0; i < 100_000; i++) x = x * 31 + (x >>> 7) + i;
        return x;
    }

    static long runBatch() {
        long x = 11;
        for (int i = 0; i < 100_000; i++) x = x * 17 + (x >>> 5) + i;
        return x;
    }
}
