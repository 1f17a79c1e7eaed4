package org.jetsketch.processor.extension;

/**
 * A library function the DSL does not know: the "annotation" side of a primitive added from
 * outside the compiler (what {@code org.jetsketch.dsl.Fn} is for the built-in rows). A circuit that
 * calls {@code Hyperbolic.sinh(x)} runs this as plain Java; compiled, the call becomes the row that
 * {@link HyperbolicPrimitives} provides.
 */
public final class Hyperbolic {
    private Hyperbolic() {}

    /** sinh x. */
    public static double sinh(double x) {
        return Math.sinh(x);
    }
}
