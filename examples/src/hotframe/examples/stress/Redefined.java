package hotframe.examples.stress;

/** The hot class that the stress test's instrumentation agent redefines over and over while WalkerStress runs it. */
public final class Redefined {
    private Redefined() {}

    public static long mix(long x) {
        for (int i = 0; i < 1000; i++) x = x * 2862933555777941757L + 3037000493L;
        return x;
    }
}
