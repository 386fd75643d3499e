package hotframe.examples;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed amount of contended locking, for benchmarks: four threads each add to a shared counter `operations`
 * times, alternating between a synchronized block and a ReentrantLock, with a little work inside and outside
 * the locks so that they are contended but not only that. Prints the counters at the end.
 * Usage: ContendedCounter [operations per thread]
 */
public final class ContendedCounter {
    private static final Object MONITOR = new Object();
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static long monitorCount;
    private static long lockCount;
    private static volatile long sink;

    public static void main(String[] args) throws InterruptedException {
        long operations = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000;
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                long local = 0;
                for (long i = 0; i < operations; i++) {
                    if ((i & 1) == 0) {
                        synchronized (MONITOR) {
                            monitorCount += work(20);
                        }
                    } else {
                        LOCK.lock();
                        try {
                            lockCount += work(20);
                        } finally {
                            LOCK.unlock();
                        }
                    }
                    local += work(40);
                }
                sink += local;
            }, "counter-" + t);
        }
        for (Thread thread : threads) thread.start();
        for (Thread thread : threads) thread.join();
        System.out.println("monitor " + monitorCount + " lock " + lockCount);
    }

    private static long work(int steps) {
        long x = 1;
        for (int i = 0; i < steps; i++) x = x * 31 + i;
        return (x & 1) + 1;
    }
}
