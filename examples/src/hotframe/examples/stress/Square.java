package hotframe.examples.stress;

/** Shape's first subclass (see Shape). */
public final class Square extends Shape {
    private final long side;

    public Square(long side) {
        this.side = side;
    }

    @Override
    public long area(long scale) {
        return side * side * scale;
    }
}
