package hotframe.examples;

import java.io.File;
import java.util.Arrays;

/**
 * Stress for native stack walking: short-lived threads call NativeChecksum's JNI method (and some Java code)
 * while the main thread loads one more copy of a JNI library every few milliseconds, so that profiling sees
 * threads start and end and libraries appear throughout. The first library argument is the one whose native
 * method is called; the directory holds the copies to load. At the end it prints "threads=N libraries=M".
 * Usage: NativeChurn seconds library directory-of-library-copies
 */
public final class NativeChurn {
    public static void main(String[] args) throws InterruptedException {
        double seconds = Double.parseDouble(args[0]);
        System.load(new File(args[1]).getAbsolutePath());
        File[] copies = new File(args[2]).listFiles((dir, name) -> name.endsWith(".so"));
        Arrays.sort(copies);
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        int loaded = 0;
        long started = 0;
        Thread[] batch = new Thread[4];
        while (System.nanoTime() < deadline) {
            if (loaded < copies.length) System.load(copies[loaded++].getAbsolutePath());
            for (int i = 0; i < batch.length; i++) {
                final long id = started++;
                batch[i] = new Thread(() -> work(id), "native-churn-" + id);
                batch[i].start();
            }
            for (Thread thread : batch) thread.join();
        }
        System.out.println("threads=" + started + " libraries=" + loaded);
    }

    static long sink;

    static void work(long id) {
        long hash = NativeChecksum.checksum(2);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 200; i++) text.append(id ^ i);
        sink += hash ^ text.toString().hashCode();
    }
}
