package hotframe.examples;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CountDownLatch;

/**
 * One thread, "deopt-pending", whose outer compiled frame waits for its deoptimization while the thread works in a
 * method it called. outer, compiled while Shape had one subclass (the JIT inlines Square.area there through class
 * hierarchy analysis, a dependency of the compiled code), calls hold, which spins; meanwhile the main thread loads
 * a second subclass, Circle. HotSpot then makes outer's compiled code not entrant and points the return address
 * of outer's frame on the worker's stack at the code's deopt handler: the frame is deoptimized only when hold
 * returns into it. Every sample of hold after the load has that frame below it.
 * Run with -Xbatch (outer is compiled before it is called for the long hold) and hold kept out of outer
 * (-XX:CompileCommand=dontinline,hotframe.examples.DeoptPending::hold). hold spins for the given CPU time of its
 * own thread, so that a busy machine changes how long it takes, not how many samples it gets; its own code may
 * change meanwhile (compiled for the warm-up's calls, it runs the long one interpreted, then OSR-compiled).
 * Prints "deopt: loading Circle" and "deopt: Circle loaded" around the load (-XX:+PrintCompilation's lines, on the
 * same stdout, come in between).
 * Usage: DeoptPending [seconds]   (hold's CPU time)
 */
public final class DeoptPending {
    private static volatile long sink;
    private static final CountDownLatch HOLDING = new CountDownLatch(1);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    abstract static class Shape {
        abstract long area(long x);
    }

    static final class Square extends Shape {
        @Override
        long area(long x) {
            return x * x + 1;
        }
    }

    // Loaded by name only, so that nothing loads it before the worker holds.
    static final class Circle extends Shape {
        @Override
        long area(long x) {
            return 3 * x * x;
        }
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        long spin = (long) (seconds * 1e9);  // of the worker's CPU
        Shape square = new Square();
        Thread worker = new Thread(() -> {
            long acc = 0;
            // Compiled by C2 (with -Xbatch, before the call below) with Square.area inlined: class hierarchy
            // analysis finds it the only implementation of Shape.area, which the compiled code depends on.
            for (int i = 0; i < 30_000; i++) acc += outer(square, 0);
            sink = acc + outer(square, spin);
        }, "deopt-pending");
        worker.start();
        HOLDING.await();
        System.out.println("deopt: loading Circle");
        Class.forName(DeoptPending.class.getName() + "$Circle");
        System.out.println("deopt: Circle loaded while the worker holds");
        worker.join();
        System.out.println("done " + (sink & 1));
    }

    static long outer(Shape shape, long spinNanos) {
        long acc = 0;
        for (int i = 0; i < 100; i++) acc += shape.area(i);
        return acc + hold(spinNanos);
    }

    static long hold(long cpuNanos) {
        if (cpuNanos == 0) return 0;
        HOLDING.countDown();
        long end = THREADS.getCurrentThreadCpuTime() + cpuNanos;
        long acc = 1;
        while (THREADS.getCurrentThreadCpuTime() < end) {
            for (int i = 0; i < 100_000; i++) acc = acc * 31 + i;
        }
        return acc;
    }
}
