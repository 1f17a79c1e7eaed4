package org.jetsketch.processor.extension;

import org.jetsketch.jet.JetDomainException;
import org.jetsketch.jet.Jets;

/**
 * The real and jet kernels of the HYPOT row, from the public {@link Jets} kernels. Both reject the
 * one point where hypot has no derivative, a = b = 0, so that the two modes have one domain.
 */
public final class PlaneKernels {
    private PlaneKernels() {}

    /** √(a² + b²), checked: (a, b) ≠ (0, 0) (the compiled circuit differentiates it). */
    public static double hypot(double a, double b) {
        double y = Math.hypot(a, b);
        if (y == 0) throw new JetDomainException("hypot", "(a, b) must not be (0, 0), where hypot has no derivative", a);
        return y;
    }

    /**
     * y = √(a² + b²) as a jet, its constant term {@code Math.hypot(a_0, b_0)} (the real rule's
     * value, bit for bit). Scratch t and u are overwritten; a and b are read before y is written,
     * so y may be either.
     *
     * @throws JetDomainException at a_0 = b_0 = 0
     */
    public static void hypot(Jets j, double[] a, int ao, double[] b, int bo, double[] t, int to, double[] u, int uo,
            double[] y, int yo) {
        double y0 = hypot(a[ao], b[bo]);
        j.square(a, ao, t, to);
        j.square(b, bo, u, uo);
        j.add(t, to, u, uo, t, to);
        j.sqrt(t, to, y, yo);
        y[yo] = y0;
    }
}
