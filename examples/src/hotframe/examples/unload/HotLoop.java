package hotframe.examples.unload;

/** The hot code that ClassUnloading loads in a fresh class loader for each generation. */
public final class HotLoop {
    public static long spin(int rounds) {
        long x = 3;
        for (int i = 0; i < rounds; i++) x = x * 6364136223846793005L + i;
        return x;
    }
}
