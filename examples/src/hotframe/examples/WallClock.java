package hotframe.examples;

import java.util.concurrent.LinkedBlockingQueue;

/**
 * Threads whose wall-clock split is known. "sleeper" computes for busyMillis, then sleeps for sleepMillis, over
 * and over (by default 10 ms and 90 ms: 90% asleep); "queue-waiter" blocks on an empty queue all the time; "spinner"
 * computes all the time; and as many "idle-N" threads as asked for wait on a lock that is never released.
 * Prints "ready" once all run, exits after the given seconds.
 * Usage: WallClock [busy ms] [sleep ms] [seconds] [idle threads]
 */
public final class WallClock {
    private static volatile long sink;

    public static void main(String[] args) throws InterruptedException {
        long busy = args.length > 0 ? Long.parseLong(args[0]) : 10;
        long sleep = args.length > 1 ? Long.parseLong(args[1]) : 90;
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 60;
        int idle = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        Object never = new Object();
        for (int i = 0; i < idle; i++) {
            Thread thread = new Thread(() -> {
                synchronized (never) {
                    try {
                        never.wait();
                    } catch (InterruptedException e) {
                        // the end
                    }
                }
            }, "idle-" + i);
            thread.setDaemon(true);
            thread.start();
        }
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        Thread sleeper = new Thread(() -> {
            while (System.nanoTime() < deadline) {
                computeBriefly(busy);
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "sleeper");
        LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        Thread waiter = new Thread(() -> {
            try {
                queue.take();  // nobody ever puts: blocked for the whole run
            } catch (InterruptedException e) {
                // the end
            }
        }, "queue-waiter");
        Thread spinner = new Thread(() -> { while (System.nanoTime() < deadline) spin(10); }, "spinner");
        waiter.setDaemon(true);
        spinner.setDaemon(true);
        sleeper.start();
        waiter.start();
        spinner.start();
        System.out.println("ready");
        System.out.flush();
        sleeper.join();
    }

    static void computeBriefly(long millis) { sink += burn(millis); }

    static void spin(long millis) { sink += burn(millis); }

    private static long burn(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        long x = 1;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) x = x * 31 + i;
        }
        return x;
    }
}
