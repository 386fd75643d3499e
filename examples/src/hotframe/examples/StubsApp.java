package hotframe.examples;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.IntUnaryOperator;

/**
 * Threads that spend their time in the JVM's stubs and runtime calls rather than in plain compiled code, so that
 * a stack walker's handling of each kind can be checked: a sample taken in a stub must still name the Java
 * method that called it. One thread per kind, each named "stubs-" and the kind, each in a method of its own:
 * <ul>
 * <li>stubs-arraycopy, copyArrays: System.arraycopy of small arrays of every primitive width, with lengths and
 * offsets the JIT cannot see, so that each copy calls an arraycopy stub (leaf code in a StubRoutines buffer);
 * <li>stubs-megamorphic, callMegamorphic: interface and virtual calls on four receiver classes at one call site,
 * which the JIT dispatches through itable and vtable stubs;
 * <li>stubs-uncontended, lockUncontended: synchronized on a lock no other thread takes (inline fast paths, and
 * the runtime call when a lock is inflated or recursion runs deep);
 * <li>stubs-contended-1 and -2, lockContended: both synchronize on one shared lock (the runtime stubs that
 * enter and leave a contended monitor);
 * <li>stubs-methodhandle, callMethodHandles: MethodHandle.invokeExact on handles the JIT cannot fold
 * (invokeBasic and linkTo* intrinsics) and lambdas of several classes behind one interface call;
 * <li>stubs-deopt, runDeopt: a method compiled while a class had one subclass, deoptimized each time a new
 * subclass loads mid-run (class hierarchy analysis no longer holds);
 * <li>stubs-subtype, checkInterfaces: instanceof against interfaces on objects of classes that implement many,
 * asked in turn so that the one-entry cache of the last answer keeps missing: code compiled by C1 calls its
 * slow_subtype_check runtime stub for each (run with -XX:TieredStopAtLevel=1 to keep the code C1's).
 * </ul>
 * Each thread runs for the given time and at least until it has used MIN_CPU_NS of CPU itself, so that every
 * kind gets its share of samples however busy the machine is.
 * Usage: StubsApp [seconds]
 */
public final class StubsApp {
    private static volatile long sink;
    private static final long MIN_CPU_NS = 400_000_000L;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The calling thread goes on: before the deadline, or while it has used less than MIN_CPU_NS. */
    static boolean running(long deadline) {
        return System.nanoTime() < deadline || THREADS.getCurrentThreadCpuTime() < MIN_CPU_NS;
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 4;
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        Object shared = new Object();
        Thread[] threads = {
            new Thread(() -> sink += copyArrays(deadline), "stubs-arraycopy"),
            new Thread(() -> sink += callMegamorphic(deadline), "stubs-megamorphic"),
            new Thread(() -> sink += lockUncontended(deadline), "stubs-uncontended"),
            new Thread(() -> sink += lockContended(deadline, shared), "stubs-contended-1"),
            new Thread(() -> sink += lockContended(deadline, shared), "stubs-contended-2"),
            new Thread(() -> sink += callMethodHandles(deadline), "stubs-methodhandle"),
            new Thread(() -> sink += runDeopt(deadline, seconds), "stubs-deopt"),
            new Thread(() -> sink += checkInterfaces(deadline), "stubs-subtype"),
        };
        for (Thread thread : threads) thread.start();
        for (Thread thread : threads) thread.join();
        System.out.println("done " + (sink & 1));
    }

    // --- arraycopy stubs ---

    static long copyArrays(long deadline) {
        byte[] bytes = new byte[96];
        short[] shorts = new short[96];
        char[] chars = new char[96];
        int[] ints = new int[96];
        long[] longs = new long[96];
        Object[] objects = new Object[96];
        for (int i = 0; i < objects.length; i++) objects[i] = i % 7 == 0 ? null : Integer.valueOf(i);
        long acc = 0;
        int round = 0;
        while (running(deadline)) {
            for (int i = 0; i < 2000; i++) {
                // Lengths 5..36 and offsets 0..7 from the counter: no constant the JIT could turn into moves.
                int length = 5 + ((round + i) & 31);
                int offset = (i >> 5) & 7;
                System.arraycopy(bytes, offset, bytes, 48 + offset, length);  // disjoint within one array
                System.arraycopy(shorts, offset, shorts, offset + 3, length);  // conjoint: overlapping
                System.arraycopy(chars, offset, chars, 48 + offset, length);
                System.arraycopy(ints, offset + 1, ints, offset, length);
                System.arraycopy(longs, offset, longs, 48 + offset, length);
                System.arraycopy(objects, offset, objects, 48 + offset, length);  // oop copy with barriers
                ints[offset] += length;
                acc += ints[offset] + shorts[offset + 3] + bytes[offset];
            }
            round++;
        }
        return acc;
    }

    // --- subtype checks against secondary supers ---

    interface Tag0 {}
    interface Tag1 {}
    interface Tag2 {}
    interface Tag3 {}
    interface Tag4 {}
    interface Tag5 {}

    static final class AllTags implements Tag0, Tag1, Tag2, Tag3, Tag4, Tag5 {}

    static final class SomeTags implements Tag5, Tag3, Tag1 {}

    static final class OtherTags implements Tag4, Tag2, Tag0 {}

    static long checkInterfaces(long deadline) {
        Object[] objects = new Object[256];
        for (int i = 0; i < objects.length; i++) {
            objects[i] = i % 3 == 0 ? new AllTags() : i % 3 == 1 ? new SomeTags() : new OtherTags();
        }
        long hits = 0;
        while (running(deadline)) {
            for (int round = 0; round < 200; round++) {
                for (Object object : objects) {
                    // Four interfaces in turn on one object: each answer replaces the class's cached one.
                    if (object instanceof Tag0) hits++;
                    if (object instanceof Tag5) hits += 2;
                    if (object instanceof Tag3) hits += 3;
                    if (object instanceof Tag2) hits += 5;
                }
            }
        }
        return hits;
    }

    // --- itable and vtable stubs ---

    interface Shape {
        long measure(long seed);
    }

    abstract static class Base implements Shape {
        abstract long weigh(long seed);
    }

    static final class Square extends Base {
        public long measure(long seed) { return seed * 3 + 1; }
        long weigh(long seed) { return seed ^ 0x55; }
    }

    static final class Circle extends Base {
        public long measure(long seed) { return seed * 5 - 7; }
        long weigh(long seed) { return seed + 11; }
    }

    static final class Triangle extends Base {
        public long measure(long seed) { return (seed << 1) ^ 9; }
        long weigh(long seed) { return seed * 13; }
    }

    static final class Hexagon extends Base {
        public long measure(long seed) { return seed - (seed >>> 3); }
        long weigh(long seed) { return ~seed; }
    }

    static long callMegamorphic(long deadline) {
        Base[] bases = {new Square(), new Circle(), new Triangle(), new Hexagon()};
        Shape[] shapes = bases;
        long acc = 1;
        int round = 0;
        while (running(deadline)) {
            for (int i = 0; i < 20_000; i++) {
                int pick = (i * 7 + round) & 3;
                acc = shapes[pick].measure(acc);  // four receiver classes: an itable stub
                acc = bases[(pick + 1) & 3].weigh(acc);  // ... and a vtable stub
            }
            round++;
        }
        return acc;
    }

    // --- monitors ---

    static long lockUncontended(long deadline) {
        Object[] locks = {new Object(), new Object(), new Object(), new Object()};
        long acc = 0;
        int round = 0;
        while (running(deadline)) {
            for (int i = 0; i < 10_000; i++) {
                Object lock = locks[(i + round) & 3];
                synchronized (lock) {
                    synchronized (locks[(i + round + 1) & 3]) {
                        acc += i;
                    }
                }
                // Now and then a hash code makes a lock's header inflate: the slow paths through the runtime.
                if ((i & 1023) == 0) acc += System.identityHashCode(lock);
            }
            round++;
        }
        return acc;
    }

    static long contendedCounter;

    static long lockContended(long deadline, Object shared) {
        long acc = 0;
        while (running(deadline)) {
            for (int i = 0; i < 1000; i++) {
                synchronized (shared) {
                    contendedCounter++;
                    acc += contendedCounter & 7;
                }
            }
        }
        return acc;
    }

    // --- method handles and lambdas ---

    static long twice(long value) { return value * 2 + 1; }

    static long thrice(long value) { return value * 3 - 1; }

    static long rotate(long value) { return Long.rotateLeft(value, 5); }

    static long callMethodHandles(long deadline) {
        MethodHandle[] handles;
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            MethodType type = MethodType.methodType(long.class, long.class);
            handles = new MethodHandle[] {
                lookup.findStatic(StubsApp.class, "twice", type),
                lookup.findStatic(StubsApp.class, "thrice", type),
                lookup.findStatic(StubsApp.class, "rotate", type),
            };
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        IntUnaryOperator[] lambdas = {x -> x + 1, x -> x * 3, x -> x ^ 0x5A, x -> Integer.rotateLeft(x, 3)};
        long acc = 1;
        int round = 0;
        while (running(deadline)) {
            for (int i = 0; i < 20_000; i++) {
                // A handle read from an array is no constant: invokeExact goes through invokeBasic and linkTo*.
                MethodHandle handle = handles[(i + round) % 3];
                try {
                    acc = (long) handle.invokeExact(acc);
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
                acc += lambdas[(i + round) & 3].applyAsInt((int) acc);
            }
            round++;
        }
        return acc;
    }

    // --- deoptimization when a new subclass loads ---

    abstract static class Step {
        abstract long apply(long value);
    }

    static final class FirstStep extends Step {
        long apply(long value) { return value * 31 + 7; }
    }

    // Loaded one at a time during the run: each makes Step.apply polymorphic for code compiled without it.
    static final class SecondStep extends Step {
        long apply(long value) { return value ^ (value >>> 7); }
    }

    static final class ThirdStep extends Step {
        long apply(long value) { return value + 0x9E37; }
    }

    static final class FourthStep extends Step {
        long apply(long value) { return value * 5; }
    }

    static long runSteps(Step step, long acc) {
        for (int i = 0; i < 10_000; i++) acc = step.apply(acc) + i;
        return acc;
    }

    static long runDeopt(long deadline, double seconds) {
        String[] later = {"SecondStep", "ThirdStep", "FourthStep"};
        long start = System.nanoTime();
        long span = (long) (seconds * 1e9);
        Step[] steps = new Step[later.length + 1];
        steps[0] = new FirstStep();
        int loaded = 0;
        long acc = 1;
        while (running(deadline)) {
            // At a quarter, half and three quarters of the run the next subclass loads; until then runSteps and
            // its caller are compiled for the subclasses seen so far and get deoptimized when it arrives.
            if (loaded < later.length && System.nanoTime() - start > span * (loaded + 1) / (later.length + 1)) {
                try {
                    Class<?> type = Class.forName(StubsApp.class.getName() + "$" + later[loaded]);
                    steps[++loaded] = (Step) type.getDeclaredConstructor().newInstance();
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            for (int i = 0; i <= loaded; i++) acc = runSteps(steps[i], acc);
        }
        return acc;
    }
}
