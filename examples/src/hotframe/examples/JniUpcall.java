package hotframe.examples;

/**
 * Java called back from native code: the thread "upcall-worker" calls a native method
 * (examples/jni/jni_upcall.c) that calls the static Java method javaWork many times, which is where the CPU goes.
 * A Java stack walker meets an entry frame (Java entered from the VM) inside a native frame there. The library is
 * the one of NativeChecksum, from the path in the system property hotframe.jni.library.
 * Prints "calls N" at the end. Usage: JniUpcall [seconds]
 */
public final class JniUpcall {
    static native long callBack(int calls);

    public static void main(String[] args) throws InterruptedException {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        System.load(System.getProperty("hotframe.jni.library"));
        long[] calls = new long[1];
        Thread worker = new Thread(() -> calls[0] = upcallLoop(seconds), "upcall-worker");
        worker.start();
        worker.join();
        System.out.println("calls " + calls[0]);
    }

    static long upcallLoop(double seconds) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long count = 0;
        long sum = 0;
        while (System.nanoTime() < deadline) {
            sum += callBack(100);
            count += 100;
        }
        if (sum == 42) System.out.println("unlikely");
        return count;
    }

    /** Called from native code; kept out of line so that it is a frame of its own. */
    static long javaWork(int seed) {
        long x = seed;
        for (int i = 0; i < 20_000; i++) x = x * 6364136223846793005L + 1442695040888963407L;
        return x & 1;
    }
}
