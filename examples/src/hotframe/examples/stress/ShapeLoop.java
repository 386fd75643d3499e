package hotframe.examples.stress;

/**
 * The code WalkerStress loads in a fresh class loader for each generation, so that it is compiled, deoptimized and
 * unloaded again and again: spin calls Shape.area in a hot loop (inlined by CHA while Square is Shape's only
 * subclass, deoptimized when widen loads Circle), and forty small methods m0..m39 give the JIT code to compile
 * for every copy (each copy's nmethods are the code cache's to flush once the copy is unloaded or cold).
 */
public final class ShapeLoop {
    private ShapeLoop() {}

    /** Runs spin over a Square and the small methods for `millis`. */
    public static long warm(long millis) {
        Shape square = new Square(3);
        long deadline = System.nanoTime() + millis * 1_000_000L;
        long total = 0;
        for (int round = 0; System.nanoTime() < deadline; round++) {
            total += spin(square, 1000);
            if (round < 2000) total += smallMethods(round);
        }
        return total;
    }

    /** Loads Circle (Shape's second subclass: the compiled spin is deoptimized) and runs spin over both. */
    public static long widen(long millis) {
        Shape[] shapes = {new Square(3), new Circle(2)};
        long deadline = System.nanoTime() + millis * 1_000_000L;
        long total = 0;
        for (int round = 0; System.nanoTime() < deadline; round++) total += spin(shapes[round & 1], 1000);
        return total;
    }

    static long spin(Shape shape, int rounds) {
        long total = 0;
        for (int i = 0; i < rounds; i++) total += shape.area(i);
        return total;
    }

    static long smallMethods(long x) {
        return m0(x) + m1(x) + m2(x) + m3(x) + m4(x) + m5(x) + m6(x) + m7(x) + m8(x) + m9(x)
               + m10(x) + m11(x) + m12(x) + m13(x) + m14(x) + m15(x) + m16(x) + m17(x) + m18(x) + m19(x)
               + m20(x) + m21(x) + m22(x) + m23(x) + m24(x) + m25(x) + m26(x) + m27(x) + m28(x) + m29(x)
               + m30(x) + m31(x) + m32(x) + m33(x) + m34(x) + m35(x) + m36(x) + m37(x) + m38(x) + m39(x);
    }

    static long m0(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793006L + 1; return x ^ (x >>> 1); }
    static long m1(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793008L + 8; return x ^ (x >>> 2); }
    static long m2(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793010L + 15; return x ^ (x >>> 3); }
    static long m3(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793012L + 22; return x ^ (x >>> 4); }
    static long m4(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793014L + 29; return x ^ (x >>> 5); }
    static long m5(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793016L + 36; return x ^ (x >>> 6); }
    static long m6(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793018L + 43; return x ^ (x >>> 7); }
    static long m7(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793020L + 50; return x ^ (x >>> 8); }
    static long m8(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793022L + 57; return x ^ (x >>> 9); }
    static long m9(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793024L + 64; return x ^ (x >>> 10); }
    static long m10(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793026L + 71; return x ^ (x >>> 11); }
    static long m11(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793028L + 78; return x ^ (x >>> 12); }
    static long m12(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793030L + 85; return x ^ (x >>> 13); }
    static long m13(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793032L + 92; return x ^ (x >>> 14); }
    static long m14(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793034L + 99; return x ^ (x >>> 15); }
    static long m15(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793036L + 106; return x ^ (x >>> 16); }
    static long m16(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793038L + 113; return x ^ (x >>> 17); }
    static long m17(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793040L + 120; return x ^ (x >>> 18); }
    static long m18(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793042L + 127; return x ^ (x >>> 19); }
    static long m19(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793044L + 134; return x ^ (x >>> 20); }
    static long m20(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793046L + 141; return x ^ (x >>> 21); }
    static long m21(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793048L + 148; return x ^ (x >>> 22); }
    static long m22(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793050L + 155; return x ^ (x >>> 23); }
    static long m23(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793052L + 162; return x ^ (x >>> 24); }
    static long m24(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793054L + 169; return x ^ (x >>> 25); }
    static long m25(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793056L + 176; return x ^ (x >>> 26); }
    static long m26(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793058L + 183; return x ^ (x >>> 27); }
    static long m27(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793060L + 190; return x ^ (x >>> 28); }
    static long m28(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793062L + 197; return x ^ (x >>> 29); }
    static long m29(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793064L + 204; return x ^ (x >>> 30); }
    static long m30(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793066L + 211; return x ^ (x >>> 31); }
    static long m31(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793068L + 218; return x ^ (x >>> 1); }
    static long m32(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793070L + 225; return x ^ (x >>> 2); }
    static long m33(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793072L + 232; return x ^ (x >>> 3); }
    static long m34(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793074L + 239; return x ^ (x >>> 4); }
    static long m35(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793076L + 246; return x ^ (x >>> 5); }
    static long m36(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793078L + 253; return x ^ (x >>> 6); }
    static long m37(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793080L + 260; return x ^ (x >>> 7); }
    static long m38(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793082L + 267; return x ^ (x >>> 8); }
    static long m39(long x) { for (int i = 0; i < 8; i++) x = x * 6364136223846793084L + 274; return x ^ (x >>> 9); }
}
