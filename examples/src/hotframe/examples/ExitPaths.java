package hotframe.examples;

/**
 * Ends the JVM in a chosen way after some CPU work, so that tests can check the profile is written on every
 * path. Usage: ExitPaths return|exit|wait [milliseconds of work]
 *   return: main returns normally; exit: System.exit(3); wait: prints "ready" and works until killed.
 */
public final class ExitPaths {
    public static void main(String[] args) {
        String how = args.length > 0 ? args[0] : "return";
        long millis = args.length > 1 ? Long.parseLong(args[1]) : 1000;
        long sink = work(millis);
        if (how.equals("wait")) {
            System.out.println("ready");
            System.out.flush();
            while (true) sink += work(100);
        }
        System.out.println("done " + (sink & 1));
        if (how.equals("exit")) System.exit(3);
    }

    private static long work(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        long x = 1;
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 10_000; i++) x = x * 31 + i;
        }
        return x;
    }
}
