package hotframe.examples;

/**
 * A thread that keeps entering compiled methods right after garbage collections, so that its samples land in
 * HotSpot's nmethod entry barrier: each ZGC cycle arms the barrier of every compiled method (on JDK 21 and later
 * the other collectors use it too, when they unload classes), and the first call of each method afterwards goes through the
 * barrier stub into the VM (BarrierSetNMethod::nmethod_stub_entry_barrier) before its body runs. Run it with
 * -XX:+UseZGC, and with the step methods kept out of line
 * (-XX:CompileCommand=dontinline,hotframe.examples.EntryBarriers::step*, which keeps the dispatching step out of
 * line too), so that each is a compiled method of its own with a barrier of its own.
 * <ul>
 * <li>barrier-calls, work: calls the 32 step methods in turn until the time is up;
 * <li>barrier-gc: System.gc() in a loop (one whole ZGC cycle each), which re-arms every barrier.
 * </ul>
 * Usage: EntryBarriers [seconds]
 */
public final class EntryBarriers {
    private static volatile long sink;
    private static volatile boolean done;

    static long step0(long x) { return x * 31 + 1; }
    static long step1(long x) { return x * 37 + 2; }
    static long step2(long x) { return x * 41 + 3; }
    static long step3(long x) { return x * 43 + 4; }
    static long step4(long x) { return x * 47 + 5; }
    static long step5(long x) { return x * 53 + 6; }
    static long step6(long x) { return x * 59 + 7; }
    static long step7(long x) { return x * 61 + 8; }
    static long step8(long x) { return x ^ (x >>> 7); }
    static long step9(long x) { return x ^ (x >>> 9); }
    static long step10(long x) { return x ^ (x >>> 11); }
    static long step11(long x) { return x ^ (x >>> 13); }
    static long step12(long x) { return x ^ (x << 5); }
    static long step13(long x) { return x ^ (x << 7); }
    static long step14(long x) { return x ^ (x << 9); }
    static long step15(long x) { return x ^ (x << 11); }
    static long step16(long x) { return x + (x >>> 3); }
    static long step17(long x) { return x + (x >>> 5); }
    static long step18(long x) { return x + (x >>> 17); }
    static long step19(long x) { return x + (x >>> 19); }
    static long step20(long x) { return x - (x << 3); }
    static long step21(long x) { return x - (x << 5); }
    static long step22(long x) { return x - (x << 17); }
    static long step23(long x) { return x - (x << 19); }
    static long step24(long x) { return Long.rotateLeft(x, 3); }
    static long step25(long x) { return Long.rotateLeft(x, 5); }
    static long step26(long x) { return Long.rotateLeft(x, 17); }
    static long step27(long x) { return Long.rotateLeft(x, 19); }
    static long step28(long x) { return Long.rotateRight(x, 3); }
    static long step29(long x) { return Long.rotateRight(x, 5); }
    static long step30(long x) { return Long.rotateRight(x, 17); }
    static long step31(long x) { return Long.rotateRight(x, 19); }

    static long step(int which, long x) {
        switch (which) {
            case 0: return step0(x);
            case 1: return step1(x);
            case 2: return step2(x);
            case 3: return step3(x);
            case 4: return step4(x);
            case 5: return step5(x);
            case 6: return step6(x);
            case 7: return step7(x);
            case 8: return step8(x);
            case 9: return step9(x);
            case 10: return step10(x);
            case 11: return step11(x);
            case 12: return step12(x);
            case 13: return step13(x);
            case 14: return step14(x);
            case 15: return step15(x);
            case 16: return step16(x);
            case 17: return step17(x);
            case 18: return step18(x);
            case 19: return step19(x);
            case 20: return step20(x);
            case 21: return step21(x);
            case 22: return step22(x);
            case 23: return step23(x);
            case 24: return step24(x);
            case 25: return step25(x);
            case 26: return step26(x);
            case 27: return step27(x);
            case 28: return step28(x);
            case 29: return step29(x);
            case 30: return step30(x);
            default: return step31(x);
        }
    }

    static void work() {
        long x = 1;
        while (!done) {
            for (int i = 0; i < 32; i++) x = step(i, x);
        }
        sink = x;
    }

    public static void main(String[] args) throws InterruptedException {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 5;
        Thread calls = new Thread(EntryBarriers::work, "barrier-calls");
        calls.start();
        Thread collections = new Thread(() -> {
            while (!done) System.gc();
        }, "barrier-gc");
        collections.start();
        Thread.sleep(seconds * 1000);
        done = true;
        calls.join();
        collections.join();
        System.out.println("done jdk=" + Runtime.version().feature() + " sink=" + sink);
    }
}
