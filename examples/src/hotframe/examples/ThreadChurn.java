package hotframe.examples;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Starts and ends threads continuously: keeps `live` short-lived threads running for `seconds`, each doing a
 * little work and exiting, so that a profiler sees threads appear and disappear while it samples. Prints how
 * many threads it started and the CPU time they spent in their work (spin), each thread measuring its own CPU
 * clock around it: how much of that a machine gives them depends on its load and the JIT, so a test compares the
 * profile with this figure rather than with a fixed share.
 * Usage: ThreadChurn [seconds] [live]
 */
public final class ThreadChurn {
    public static void main(String[] args) throws InterruptedException {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 20;
        int live = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        AtomicLong work = new AtomicLong();
        AtomicLong spinCpuNanos = new AtomicLong();
        ThreadMXBean cpuClock = ManagementFactory.getThreadMXBean();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long started = 0;
        List<Thread> running = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            running.removeIf(thread -> !thread.isAlive());
            while (running.size() < live) {
                String name = "churn-" + started++;
                Thread thread = new Thread(() -> {
                    long before = cpuClock.getCurrentThreadCpuTime();
                    long result = spin(2_000_000);
                    spinCpuNanos.addAndGet(cpuClock.getCurrentThreadCpuTime() - before);
                    work.addAndGet(result);
                }, name);
                thread.start();
                running.add(thread);
            }
            Thread.onSpinWait();
        }
        for (Thread thread : running) thread.join();
        System.out.println("threads_started=" + started + " work=" + work.get() + " spin_cpu_ms="
                           + spinCpuNanos.get() / 1_000_000);
    }

    private static long spin(int rounds) {
        long x = 17;
        for (int i = 0; i < rounds; i++) x = x * 6364136223846793005L + 1442695040888963407L;
        return x & 1;
    }
}
