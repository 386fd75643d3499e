package hotframe.examples;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many virtual threads (JDK 21+) that alternate CPU work (crunch) with parking (Thread.sleep), so that they are
 * mounted on and unmounted from the carrier threads all the time while a profiler samples. Half of them do their
 * work at the top of a deep stack (descend, `depth` frames): a stack that large is thawed only partly when the
 * thread is mounted again, its outer frames staying frozen in the heap behind HotSpot's return barrier.
 * Virtual threads are started through Thread.ofVirtual() looked up at run time, so that the examples still
 * compile for Java 17; on a JDK without them it prints "no virtual threads" and exits with status 3.
 * Prints "vthreads=N rounds=R" at the end. Usage: VirtualThreads [seconds] [threads] [depth]
 */
public final class VirtualThreads {
    public static void main(String[] args) throws Throwable {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int depth = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        MethodHandle startVirtual = virtualThreadStarter();
        if (startVirtual == null) {
            System.out.println("no virtual threads");
            System.exit(3);
        }
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        AtomicLong rounds = new AtomicLong();
        AtomicLong sink = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boolean deep = i % 2 == 1;
            Runnable task = () -> {
                long result = deep ? descend(depth, deadline, rounds) : workAndPark(deadline, rounds);
                sink.addAndGet(result);
            };
            threads.add((Thread) startVirtual.invoke(task));
        }
        for (Thread thread : threads) thread.join();
        System.out.println("vthreads=" + count + " rounds=" + rounds.get() + " sink=" + (sink.get() & 1));
    }

    /** Thread.ofVirtual().start(Runnable) as a handle (Runnable) -> Thread, or null before JDK 21. */
    private static MethodHandle virtualThreadStarter() throws ReflectiveOperationException {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        Class<?> builder;
        try {
            builder = Class.forName("java.lang.Thread$Builder$OfVirtual");
        } catch (ClassNotFoundException e) {
            return null;
        }
        MethodHandle ofVirtual = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(builder));
        MethodHandle start = lookup.findVirtual(Class.forName("java.lang.Thread$Builder"), "start",
                                                MethodType.methodType(Thread.class, Runnable.class));
        return MethodHandles.foldArguments(start.asType(MethodType.methodType(Thread.class, builder, Runnable.class)),
                                           ofVirtual);
    }

    private static long descend(int depth, long deadline, AtomicLong rounds) {
        if (depth == 0) return workAndPark(deadline, rounds);
        return descend(depth - 1, deadline, rounds) + 1;
    }

    private static long workAndPark(long deadline, AtomicLong rounds) {
        long result = 0;
        while (System.nanoTime() < deadline) {
            result += crunch(200_000);
            rounds.incrementAndGet();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return result;
            }
        }
        return result;
    }

    private static long crunch(int rounds) {
        long x = 31;
        for (int i = 0; i < rounds; i++) x = x * 2862933555777941757L + 3037000493L;
        return x & 1;
    }
}
