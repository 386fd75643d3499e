package hotframe.examples;

import java.util.concurrent.CountDownLatch;

/**
 * One thread, "deopt-pending", whose outer compiled frame waits for its deoptimization while the thread works in a
 * method it called. outer, compiled while Shape had one subclass (the JIT inlines Square.area there through class
 * hierarchy analysis, a dependency of the compiled code), calls hold, which spins; meanwhile the main thread loads
 * a second subclass, Circle. HotSpot then makes outer's compiled code not entrant and points the return address
 * of outer's frame on the worker's stack at the code's deopt handler: the frame is deoptimized only when hold
 * returns into it. Every sample of hold after the load has that frame below it.
 * Run with -Xbatch (outer is compiled before it is called for the long hold) and hold kept out of outer
 * (-XX:CompileCommand=dontinline,hotframe.examples.DeoptPending::hold).
 * Usage: DeoptPending [seconds]   (hold's spin)
 */
public final class DeoptPending {
    private static volatile long sink;
    private static final CountDownLatch HOLDING = new CountDownLatch(1);

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
        long spin = (long) (seconds * 1e9);
        Shape square = new Square();
        Thread worker = new Thread(() -> {
            long acc = 0;
            // Compiled by C2 (with -Xbatch, before the call below) with Square.area inlined through CHA, its only
            // uncommon case the class check that guards it.
            for (int i = 0; i < 30_000; i++) acc += outer(square, 0);
            sink = acc + outer(square, spin);
        }, "deopt-pending");
        worker.start();
        HOLDING.await();
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

    static long hold(long nanos) {
        if (nanos == 0) return 0;
        HOLDING.countDown();
        long end = System.nanoTime() + nanos;
        long acc = 1;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) acc = acc * 31 + i;
        }
        return acc;
    }
}
