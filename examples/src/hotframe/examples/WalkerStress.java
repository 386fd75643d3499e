package hotframe.examples;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything that changes compiled code and classes under a stack walker, at once, for `seconds`:
 * - generations of hotframe.examples.stress.* loaded in a fresh class loader each: ShapeLoop's code is compiled,
 *   deoptimized when the generation loads Circle (a CHA dependency breaks), then dropped and unloaded;
 * - forty small methods per generation, so that a small code cache fills and flushes nmethods;
 * - Redefined.mix called in a hot loop on its own thread, for an instrumentation agent to redefine meanwhile;
 * - `live` short-lived threads started and ended continuously.
 * Prints "generations=G unloaded=U threads_started=T" at the end. Usage: WalkerStress [seconds] [live]
 */
public final class WalkerStress {
    private static final String STRESS_PACKAGE = "hotframe.examples.stress.";

    /** Defines the generation's classes itself (all but Redefined), so that each loader has its own copies. */
    static final class GenerationLoader extends ClassLoader {
        GenerationLoader() {
            super(WalkerStress.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(STRESS_PACKAGE) || name.endsWith(".Redefined")) return super.loadClass(name, resolve);
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded != null) return loaded;
                try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                    byte[] bytes = in.readAllBytes();
                    return defineClass(name, bytes, 0, bytes.length);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 20;
        int live = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        AtomicLong sink = new AtomicLong();
        Thread redefinedLoop = new Thread(() -> {
            long x = 1;
            while (System.nanoTime() < deadline) x = hotframe.examples.stress.Redefined.mix(x);
            sink.addAndGet(x & 1);
        }, "redefined-loop");
        redefinedLoop.start();
        long[] started = new long[1];
        Thread churn = new Thread(() -> started[0] = churnThreads(deadline, live, sink), "thread-churn");
        churn.start();
        int generations = 0;
        int unloaded = 0;
        List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            loaders.add(runGeneration(sink));
            generations++;
            if (generations % 8 == 0) {
                System.gc();  // unloads the dropped generations (and their nmethods)
                unloaded += countCleared(loaders);
            }
        }
        redefinedLoop.join();
        churn.join();
        System.gc();
        unloaded += countCleared(loaders);
        System.out.println("generations=" + generations + " unloaded=" + unloaded + " threads_started=" + started[0]
                           + " sink=" + (sink.get() & 1));
    }

    private static WeakReference<ClassLoader> runGeneration(AtomicLong sink) throws Exception {
        ClassLoader loader = new GenerationLoader();
        Class<?> shapeLoop = loader.loadClass(STRESS_PACKAGE + "ShapeLoop");
        Method warm = shapeLoop.getMethod("warm", long.class);
        Method widen = shapeLoop.getMethod("widen", long.class);
        sink.addAndGet((Long) warm.invoke(null, 150L));
        sink.addAndGet((Long) widen.invoke(null, 30L));
        return new WeakReference<>(loader);
    }

    private static int countCleared(List<WeakReference<ClassLoader>> loaders) {
        int cleared = 0;
        for (int i = loaders.size() - 1; i >= 0; i--) {
            if (loaders.get(i).get() == null) {
                loaders.remove(i);
                cleared++;
            }
        }
        return cleared;
    }

    private static long churnThreads(long deadline, int live, AtomicLong sink) {
        long started = 0;
        List<Thread> running = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            running.removeIf(thread -> !thread.isAlive());
            while (running.size() < live) {
                Thread thread = new Thread(() -> sink.addAndGet(shortWork(20_000)), "churn-" + started++);
                thread.start();
                running.add(thread);
            }
            Thread.onSpinWait();
        }
        for (Thread thread : running) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return started;
    }

    private static long shortWork(int rounds) {
        long x = 5;
        for (int i = 0; i < rounds; i++) x = x * 6364136223846793005L + 1442695040888963407L;
        return x & 1;
    }
}
