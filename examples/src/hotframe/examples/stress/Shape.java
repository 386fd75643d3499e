package hotframe.examples.stress;

/** The base of the shapes WalkerStress loads once per generation: while Square is its only subclass, C2 inlines
 * area() on the strength of the class hierarchy alone (a CHA dependency, no type check). */
public abstract class Shape {
    public abstract long area(long scale);
}
