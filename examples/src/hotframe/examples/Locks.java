package hotframe.examples;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Two contended locks of known heat. Four "monitor-worker" threads take one synchronized monitor and hold it for
 * about 1 ms each time; two "reentrant-worker" threads take one ReentrantLock, hold it for about 0.2 ms and then
 * work 0.2 ms outside it. The monitor is much hotter: its waiters wait about three times as long as they hold it.
 * With "allocate", the monitor workers also allocate a byte[8192] under the monitor each time (for tests that
 * profile several events at once). Prints "ready", exits after the given seconds. Usage: Locks [seconds] [allocate]
 */
public final class Locks {
    private static final Object MONITOR = new Object();
    private static final ReentrantLock REENTRANT = new ReentrantLock();
    private static volatile long sink;
    private static volatile Object kept;
    private static boolean allocate;

    public static void main(String[] args) throws InterruptedException {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        allocate = args.length > 1 && args[1].equals("allocate");
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        Thread[] threads = new Thread[6];
        for (int i = 0; i < 4; i++) {
            threads[i] = new Thread(() -> { while (System.nanoTime() < deadline) updateUnderMonitor(); },
                                    "monitor-worker-" + i);
        }
        for (int i = 0; i < 2; i++) {
            threads[4 + i] = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    updateUnderReentrantLock();
                    sink += burn(200_000);
                }
            }, "reentrant-worker-" + i);
        }
        for (Thread thread : threads) thread.start();
        System.out.println("ready");
        System.out.flush();
        for (Thread thread : threads) thread.join();
    }

    static void updateUnderMonitor() {
        synchronized (MONITOR) {
            sink += burn(1_000_000);
            if (allocate) kept = new byte[8192];
        }
    }

    static void updateUnderReentrantLock() {
        REENTRANT.lock();
        try {
            sink += burn(200_000);
        } finally {
            REENTRANT.unlock();
        }
    }

    private static long burn(long nanos) {
        long end = System.nanoTime() + nanos;
        long x = 1;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 100; i++) x = x * 31 + i;
        }
        return x;
    }
}
