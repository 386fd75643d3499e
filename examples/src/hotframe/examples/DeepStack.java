package hotframe.examples;

/**
 * CPU work at the bottom of a deep Java stack, for the cost of one sample on deep stacks (scripts/bench
 * --workload walker): a recursion of DEPTH calls (600 by default; C2 inlines at most one level of recursion into
 * itself, so about half as many physical frames, each with two Java frames) whose innermost call mixes numbers
 * for a while, then returns; repeated ROUNDS times. A fixed amount of work, not a fixed time, so that CPU seconds
 * compare across runs. Nearly every sample lands in mix() under the whole recursion.
 * Usage: DeepStack [rounds] [depth]
 */
public final class DeepStack {
    private static final int WORK_PER_ROUND = 200_000;  // mixing steps at the bottom: about 0.2-0.5 ms each round

    public static void main(String[] args) {
        long rounds = args.length > 0 ? Long.parseLong(args[0]) : 20_000;
        int depth = args.length > 1 ? Integer.parseInt(args[1]) : 600;
        long checksum = 0;
        long started = System.nanoTime();
        for (long round = 0; round < rounds; round++) checksum += descend(depth, round);
        System.out.printf("DeepStack: %d rounds at depth %d in %.2f s (checksum %d)%n", rounds, depth,
                (System.nanoTime() - started) / 1e9, checksum);
    }

    // One Java frame per level; the stack holds `depth` of them (plus main) while mix() runs.
    static long descend(int depth, long seed) {
        if (depth <= 1) return mix(seed);
        return descend(depth - 1, seed + depth) ^ depth;
    }

    // xorshift steps: pure CPU, no allocation, nothing the JIT can fold away (the result is used).
    static long mix(long seed) {
        long x = seed | 1;
        for (int i = 0; i < WORK_PER_ROUND; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }
}
