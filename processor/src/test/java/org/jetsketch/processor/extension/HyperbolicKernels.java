package org.jetsketch.processor.extension;

import org.jetsketch.jet.Jets;

/**
 * The real and jet kernels of the SINH row, written outside the runtime with only the public
 * {@link Jets} kernels: sinh a = (e^a − e^(−a))/2 and cosh a = (e^a + e^(−a))/2 as jets, each with
 * its constant term set to the real function's value ({@code Math.sinh}, {@code Math.cosh}), so
 * that a jet's real part is the real rule's value bit for bit, as every row promises.
 */
public final class HyperbolicKernels {
    private HyperbolicKernels() {}

    /** sinh'(x) = cosh x: the real derivative kernel. */
    public static double sinhPrime(double x) {
        return Math.cosh(x);
    }

    /**
     * y = sinh(a). Scratch jets t and u are overwritten; a is read before y is written, so y may
     * be a. Cost: two exp compositions.
     */
    public static void sinh(Jets j, double[] a, int ao, double[] t, int to, double[] u, int uo, double[] y, int yo) {
        double a0 = a[ao];
        exponentials(j, a, ao, t, to, u, uo);
        j.sub(t, to, u, uo, y, yo);
        j.scale(y, yo, 0.5, y, yo);
        y[yo] = Math.sinh(a0);
    }

    /** out = sinh'(a) = cosh(a); scratch t and u; reads a only. */
    public static void sinhPrime(Jets j, double[] a, int ao, double[] t, int to, double[] u, int uo, double[] out, int oo) {
        double a0 = a[ao];
        exponentials(j, a, ao, t, to, u, uo);
        j.add(t, to, u, uo, out, oo);
        j.scale(out, oo, 0.5, out, oo);
        out[oo] = sinhPrime(a0);
    }

    /** t = e^a, u = e^(−a). */
    private static void exponentials(Jets j, double[] a, int ao, double[] t, int to, double[] u, int uo) {
        j.neg(a, ao, u, uo);
        j.exp(a, ao, t, to);
        j.exp(u, uo, u, uo);
    }
}
