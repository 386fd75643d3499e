package hotframe.examples.stress;

/** Shape's second subclass: loading it breaks the CHA dependency of every method compiled with Square.area
 * inlined, and HotSpot deoptimizes them (see Shape). */
public final class Circle extends Shape {
    private final long radius;

    public Circle(long radius) {
        this.radius = radius;
    }

    @Override
    public long area(long scale) {
        return 3 * radius * radius * scale;
    }
}
