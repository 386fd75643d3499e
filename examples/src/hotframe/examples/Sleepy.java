package hotframe.examples;

/**
 * A mostly waiting service: four "worker-N" threads each compute for 2 ms and then sleep for 48 ms, over and
 * over, so the process uses about 4 * 2 / 50 = 16% of one CPU. A cpu profile of it shows little; the time goes
 * to waiting. Prints "ready" once all run, then works until the given seconds have passed.
 * Usage: Sleepy [seconds]
 */
public final class Sleepy {
    private static volatile long sink;

    public static void main(String[] args) throws InterruptedException {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 30;
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        Thread[] workers = new Thread[4];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    long until = System.nanoTime() + 2_000_000;
                    long x = 1;
                    while (System.nanoTime() < until) x = x * 31 + 7;
                    sink += x;
                    try {
                        Thread.sleep(48);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "worker-" + (i + 1));
            workers[i].start();
        }
        System.out.println("ready");
        System.out.flush();
        for (Thread worker : workers) worker.join();
    }
}
