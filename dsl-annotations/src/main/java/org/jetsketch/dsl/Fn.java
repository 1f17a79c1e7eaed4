package org.jetsketch.dsl;

/**
 * Real functions beyond {@link java.lang.Math} that a circuit may call.
 *
 * <p>These are the <em>real meanings</em> of the primitives the processor compiles: a circuit
 * that calls {@code Fn.gelu(x)} runs exactly this code when executed as plain Java, and the
 * processor replaces the call by the corresponding real, jet and adjoint rules
 * ({@code org.jetsketch.jet.RealMath} / {@code Jets}). Like {@code Math}, these functions follow
 * IEEE semantics (NaN in, NaN out); the compiled code additionally rejects arguments outside a
 * primitive's domain (e.g. {@code rsqrt} of a non-positive value) with an exception.
 *
 * <p>This module has no dependencies, so {@link #erf} is implemented here: the series
 * erf x = (2/√π)·e^(−x²)·Σ_{n≥0} 2^n x^(2n+1)/(1·3·…·(2n+1)) (positive terms, no cancellation)
 * for |x| &lt; 2, and erfc x = (e^(−x²)/√π) / (x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
 * (Laplace's continued fraction, evaluated by the modified Lentz method) beyond; relative error
 * about 1e-15.
 */
public final class Fn {
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double INV_SQRT_PI = 0.5641895835477563;
    private static final double INV_SQRT2 = 0.7071067811865476;
    /** Below this |x| erf uses the series, above it the continued fraction. */
    private static final double SERIES_LIMIT = 2.0;
    /** erfc(x) for x at or above this is computed directly by the continued fraction. */
    private static final double ERFC_FRACTION_LIMIT = 1.5;

    private Fn() {}

    /** The error function erf x = (2/√π) ∫_0^x e^(−t²) dt. */
    public static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double ax = Math.abs(x);
        double r;
        if (ax < SERIES_LIMIT) r = erfSeries(ax);
        else if (ax < 6.0) r = 1.0 - erfcFraction(ax); // erfc(6) ≈ 2e-17: erf rounds to 1 beyond
        else r = 1.0;
        return Math.copySign(r, x);
    }

    /** Exact GELU: x·Φ(x) with Φ(x) = (1 + erf(x/√2))/2 (the lower tail computed via erfc). */
    public static double gelu(double x) {
        if (Double.isNaN(x)) return x;
        double t = x * INV_SQRT2;
        double phi = t >= 0 ? 0.5 * (1.0 + erf(t)) : 0.5 * erfc(-t);
        return x * phi;
    }

    /** The logistic function 1/(1 + e^(−x)), without overflow for either sign. */
    public static double sigmoid(double x) {
        if (x >= 0) return 1.0 / (1.0 + Math.exp(-x));
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /** log(1 + e^x), numerically stable: max(x, 0) + log1p(e^(−|x|)). */
    public static double softplus(double x) {
        return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** x^(−1/2) = 1/√x. */
    public static double rsqrt(double x) {
        return 1.0 / Math.sqrt(x);
    }

    /** x². */
    public static double square(double x) {
        return x * x;
    }

    /** max(x, 0); relu(0) = 0, NaN stays NaN. */
    public static double relu(double x) {
        return x <= 0 ? 0.0 : x;
    }

    /**
     * x itself, marked as a constant: in compiled code the result does not depend on the
     * parameters (its derivatives along the data weights are dropped, and decisions on it are not
     * branch decisions). Meant for a value the result is invariant to, such as the shift m of a
     * stable softmax, exp(l − m) / Σ exp(l − m) with m = max l: any m gives the same function, so
     * dropping m's derivatives changes the Taylor coefficients only by rounding, and the max
     * that picks m is no branch whose switch could invalidate them. Used anywhere else it changes
     * the derivatives: the compiled circuit then no longer differentiates the plain-Java code.
     */
    public static double stopGradient(double x) {
        return x;
    }

    /** erfc x = 1 − erf x for x ≥ 0, accurate (relative) in the tail. */
    private static double erfc(double x) {
        if (x < ERFC_FRACTION_LIMIT) return 1.0 - erf(x);
        if (x > 28.0) return 0.0; // e^(−784) underflows
        return erfcFraction(x);
    }

    /** erf for 0 ≤ x &lt; 2 by the positive-term series. */
    private static double erfSeries(double x) {
        double q = 2.0 * x * x;
        double term = x, sum = x;
        for (int n = 1; term > 1e-17 * sum; n++) {
            term *= q / (2 * n + 1);
            sum += term;
        }
        return TWO_OVER_SQRT_PI * expMinusSquare(x) * sum;
    }

    /** erfc for x ≥ 1.5 by Laplace's continued fraction (modified Lentz; ≤ ~100 terms). */
    private static double erfcFraction(double x) {
        double f = x, c = x, d = 0.0;
        for (int n = 1; n < 500; n++) {
            double a = 0.5 * n;
            d = 1.0 / (x + a * d);
            c = x + a / c;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < 1e-16) break;
        }
        return INV_SQRT_PI * expMinusSquare(x) / f;
    }

    /**
     * e^(−x²) with x² split exactly into hi + lo (Dekker), so that the rounding of x² does not
     * cost relative accuracy for larger x: e^(−hi)·(1 − lo).
     */
    private static double expMinusSquare(double x) {
        double hi = x * x;
        double c = 134217729.0 * x; // 2^27 + 1
        double xh = c - (c - x), xl = x - xh;
        double lo = ((xh * xh - hi) + 2 * xh * xl) + xl * xl;
        return Math.exp(-hi) * (1.0 - lo);
    }
}
