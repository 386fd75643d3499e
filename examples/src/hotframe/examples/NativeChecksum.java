package hotframe.examples;

/**
 * Native code called from Java: the thread "jni-worker" calls a native method (examples/jni/native_checksum.c)
 * whose time goes into one C helper, checksum_block, in a loop for the given seconds. The library is loaded
 * after start-up, from the path in the system property hotframe.jni.library, so a profile started with the JVM
 * sees it appear. Prints "ready" once the library is loaded, "rounds N" at the end. Stops after the given seconds
 * or rounds, whichever comes first (a fixed amount of work, for the benchmark). Usage: NativeChecksum [seconds] [rounds]
 */
public final class NativeChecksum {
    static native long checksum(int rounds);

    public static void main(String[] args) throws InterruptedException {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        long maxRounds = args.length > 1 ? Long.parseLong(args[1]) : Long.MAX_VALUE;
        System.load(System.getProperty("hotframe.jni.library"));
        System.out.println("ready");
        System.out.flush();
        long[] rounds = new long[1];
        Thread worker = new Thread(() -> rounds[0] = checksumLoop(seconds, maxRounds), "jni-worker");
        worker.start();
        worker.join();
        System.out.println("rounds " + rounds[0]);
    }

    static long checksumLoop(double seconds, long maxRounds) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long count = 0;
        long hash = 0;
        while (count < maxRounds && System.nanoTime() < deadline) {
            hash ^= checksum(16);
            count++;
        }
        if (hash == 42) System.out.println("unlikely");
        return count;
    }
}
