package hotframe.examples;

/**
 * One thread, "pulse", that computes for busyMillis then sleeps for sleepMillis, over and over; the share of
 * its time in RUNNABLE is busy / (busy + sleep). Beside it a busy "noise" thread that samplers must ignore.
 * Prints "ready" once both run. Usage: Pulse [busy ms] [sleep ms] [seconds]
 */
public final class Pulse {
    private static volatile long sink;

    public static void main(String[] args) throws InterruptedException {
        long busy = args.length > 0 ? Long.parseLong(args[0]) : 30;
        long sleep = args.length > 1 ? Long.parseLong(args[1]) : 70;
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 120;
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        Thread pulse = new Thread(() -> {
            while (System.nanoTime() < deadline) {
                compute(busy);
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "pulse");
        Thread noise = new Thread(() -> { while (System.nanoTime() < deadline) compute(10); }, "noise");
        pulse.setDaemon(true);
        noise.setDaemon(true);
        pulse.start();
        noise.start();
        System.out.println("ready");
        System.out.flush();
        pulse.join();
    }

    static void compute(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        long x = 1;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) x = x * 31 + i;
        }
        sink += x;
    }
}
