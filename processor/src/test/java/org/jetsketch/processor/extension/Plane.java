package org.jetsketch.processor.extension;

/**
 * A second library function the DSL does not know, of two arguments: compiled through the HYPOT
 * row that {@link PlanePrimitives} provides (either argument may be passive).
 */
public final class Plane {
    private Plane() {}

    /** √(a² + b²) without overflow. */
    public static double hypot(double a, double b) {
        return Math.hypot(a, b);
    }
}
