package hotframe.examples;

import java.io.File;

/**
 * Three threads load, call and unload a small library with thread-locals of its own, thousands of times a
 * second (tls_churn.c), with a little Java work between batches, so that every thread's thread-local table keeps
 * being brought up to date by glibc while signals arrive: a signal handler that reads a dlopen'ed library's
 * thread-local there corrupts the heap. Prints "loads=N" at the end.
 * Usage: TlsChurn seconds jni-library tls-probe-library
 */
public final class TlsChurn {
    private static volatile long sink;

    private static native long churn(String library, int times);

    public static void main(String[] args) throws InterruptedException {
        double seconds = Double.parseDouble(args[0]);
        System.load(new File(args[1]).getAbsolutePath());
        String probe = new File(args[2]).getAbsolutePath();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        Thread[] threads = new Thread[3];
        long[] loads = new long[threads.length];
        for (int i = 0; i < threads.length; i++) {
            final int index = i;
            threads[i] = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    if (churn(probe, 20) < 0) throw new IllegalStateException("cannot load " + probe);
                    loads[index] += 20;
                    sink += javaWork(index);
                }
            }, "tls-churn-" + i);
            threads[i].start();
        }
        long total = 0;
        for (int i = 0; i < threads.length; i++) {
            threads[i].join();
            total += loads[i];
        }
        System.out.println("loads=" + total);
    }

    static long javaWork(int seed) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 50; i++) text.append(seed ^ i);
        return text.length();
    }
}
