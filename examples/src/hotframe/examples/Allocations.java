package hotframe.examples;

/**
 * Two allocation sites with a known byte ratio: every round, allocateLongs makes a long[1536] (12,304 bytes with
 * its header) and allocateBytes a byte[4096] (4,112 bytes): about 3:1. The arrays escape into a ring, so the JIT
 * cannot remove them. Prints "ready", then runs for the given seconds (or the given rounds, whichever ends first).
 * At the end it prints "rounds N". Usage: Allocations [seconds] [rounds]
 */
public final class Allocations {
    private static final Object[] RING = new Object[1024];
    private static int next;

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        long rounds = args.length > 1 ? Long.parseLong(args[1]) : Long.MAX_VALUE;
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        System.out.println("ready");
        System.out.flush();
        long round = 0;
        for (; round < rounds; round++) {
            if ((round & 1023) == 0 && System.nanoTime() > deadline) break;
            keep(allocateLongs());
            keep(allocateBytes());
        }
        System.out.println("rounds " + round);
    }

    static long[] allocateLongs() { return new long[1536]; }

    static byte[] allocateBytes() { return new byte[4096]; }

    private static void keep(Object array) {
        RING[next] = array;
        next = (next + 1) & (RING.length - 1);
    }
}
