package hotframe.examples;

import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;

/**
 * Loads HotLoop in a fresh class loader, runs it hot, drops the loader and collects garbage until the class
 * is unloaded (observed through a weak reference), for several generations. A profiler sampling meanwhile
 * holds jmethodIDs of classes that no longer exist when it writes its profile.
 * Usage: ClassUnloading [generations] [calls per generation]
 */
public final class ClassUnloading {
    private static final String HOT_CLASS = "hotframe.examples.unload.HotLoop";

    /** Defines HotLoop itself instead of asking its parent, so that each loader has its own copy. */
    static final class IsolatingLoader extends ClassLoader {
        IsolatingLoader() {
            super(ClassUnloading.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(HOT_CLASS)) return super.loadClass(name, resolve);
            try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                byte[] bytes = in.readAllBytes();
                return defineClass(name, bytes, 0, bytes.length);
            } catch (java.io.IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int generations = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        long sink = 0;
        int unloaded = 0;
        for (int generation = 0; generation < generations; generation++) {
            WeakReference<Class<?>> classRef = runGeneration(calls);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (classRef.get() != null && System.nanoTime() < deadline) {
                System.gc();
                sink += ((Object) new byte[1 << 20]).hashCode();
            }
            if (classRef.get() == null) unloaded++;
        }
        System.out.println("generations=" + generations + " unloaded=" + unloaded + " sink=" + (sink & 1));
    }

    private static WeakReference<Class<?>> runGeneration(int calls) throws Exception {
        Class<?> hot = new IsolatingLoader().loadClass(HOT_CLASS);
        Method spin = hot.getMethod("spin", int.class);
        long sink = 0;
        for (int i = 0; i < calls; i++) sink += (Long) spin.invoke(null, 100_000);
        if (sink == 42) System.out.println("unlikely");
        return new WeakReference<>(hot);
    }
}
