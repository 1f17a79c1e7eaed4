package org.jetsketch.jet;

/**
 * Real (degree-0) counterparts of the {@link Jets} kernels, called by generated ordinary code.
 *
 * <p>The checked functions ({@code log, log1p, sqrt, rsqrt, reciprocal, div, pow} and their
 * {@code …Prime} derivatives) apply exactly the domain rules of the jet kernels and throw
 * {@link JetDomainException} instead of returning NaN or an infinity: {@code log}, {@code sqrt},
 * {@code rsqrt} need x &gt; 0 (also {@code sqrt(0)}: its derivative is infinite), {@code log1p}
 * needs x &gt; −1, {@code reciprocal}/{@code div} a nonzero divisor, {@code pow} x &gt; 0 for a
 * non-integer exponent and x ≠ 0 for a negative one; every argument of these must be finite.
 *
 * <p>{@code erf}, {@code gelu}, {@code sigmoid}, {@code softplus} and {@code tanhPrime} are
 * defined everywhere; they are evaluated in numerically stable forms (no overflow, no
 * cancellation for large |x|). erf and Φ are computed without allocation by the algorithm of
 * {@code org.jetsketch.dsl.Fn} (relative error about 1e-15), so compiled code and a circuit run as
 * plain Java agree.
 */
public final class RealMath {
    /** 2/√π. */
    static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    /** 1/√(2π). */
    static final double INV_SQRT_2PI = 0.3989422804014327;

    private RealMath() {}

    // ---------------------------------------------------------------- checked functions

    /** ln x; x finite and &gt; 0. */
    public static double log(double x) { Domain.positive("log", x); return Math.log(x); }

    /** 1/x, the derivative of log; x finite and &gt; 0. */
    public static double logPrime(double x) { Domain.positive("log", x); return 1.0 / x; }

    /** ln(1+x); x finite and &gt; −1. */
    public static double log1p(double x) { Domain.aboveMinusOne("log1p", x); return Math.log1p(x); }

    /** 1/(1+x); x finite and &gt; −1. */
    public static double log1pPrime(double x) { Domain.aboveMinusOne("log1p", x); return 1.0 / (1.0 + x); }

    /** √x; x finite and &gt; 0. */
    public static double sqrt(double x) { Domain.positive("sqrt", x); return Math.sqrt(x); }

    /** 1/(2√x); x finite and &gt; 0. */
    public static double sqrtPrime(double x) { Domain.positive("sqrt", x); return 0.5 / Math.sqrt(x); }

    /** x^(−1/2); x finite and &gt; 0. */
    public static double rsqrt(double x) { Domain.positive("rsqrt", x); return 1.0 / Math.sqrt(x); }

    /** −x^(−3/2)/2; x finite and &gt; 0. */
    public static double rsqrtPrime(double x) {
        Domain.positive("rsqrt", x);
        double s = Math.sqrt(x);
        return -0.5 / (x * s);
    }

    /** 1/x; x finite and ≠ 0. */
    public static double reciprocal(double x) { Domain.nonZero("reciprocal", x); return 1.0 / x; }

    /** −1/x²; x finite and ≠ 0. */
    public static double reciprocalPrime(double x) {
        Domain.nonZero("reciprocal", x);
        double y = 1.0 / x;
        return -y * y;
    }

    /** x/y; both finite, y ≠ 0. */
    public static double div(double x, double y) { Domain.division("div", x, y); return x / y; }

    /**
     * x^p for a real exponent p: p and x finite; x &gt; 0 unless p is an integer; x ≠ 0 if p is a
     * negative integer. 0^0 = 1.
     */
    public static double pow(double x, double p) { Domain.pow("pow", x, p); return Math.pow(x, p); }

    /** p·x^(p−1), the derivative of {@link #pow} in x, under the same domain rules. */
    public static double powPrime(double x, double p) {
        Domain.pow("pow", x, p);
        return p == 0 ? 0.0 : p * Math.pow(x, p - 1);
    }

    // ---------------------------------------------------------------- total functions

    /** erf x. */
    public static double erf(double x) { return ErrorFunction.erf(x); }

    /** (2/√π)·e^(−x²). */
    public static double erfPrime(double x) { return TWO_OVER_SQRT_PI * Math.exp(-x * x); }

    /** Φ(x) = (1 + erf(x/√2))/2, through erfc in the lower tail (accurate there). */
    public static double normalCdf(double x) { return ErrorFunction.normalCdf(x); }

    /** φ(x) = e^(−x²/2)/√(2π). */
    public static double normalPdf(double x) { return INV_SQRT_2PI * Math.exp(-0.5 * x * x); }

    /** Exact GELU: x·Φ(x). */
    public static double gelu(double x) { return x * normalCdf(x); }

    /** GELU'(x) = Φ(x) + x·φ(x). */
    public static double geluPrime(double x) { return normalCdf(x) + x * normalPdf(x); }

    /** 1/(1+e^(−x)), without overflow for either sign. */
    public static double sigmoid(double x) {
        if (x >= 0) return 1.0 / (1.0 + Math.exp(-x));
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /** σ(x)·(1−σ(x)) = σ(x)·σ(−x), accurate in both tails. */
    public static double sigmoidPrime(double x) { return sigmoid(x) * sigmoid(-x); }

    /** log(1+e^x) = max(x,0) + log1p(e^(−|x|)): no overflow, no cancellation. */
    public static double softplus(double x) { return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x))); }

    /** softplus'(x) = σ(x). */
    public static double softplusPrime(double x) { return sigmoid(x); }

    /** tanh'(x) = 1 − tanh²(x) = 1/cosh²(x) (0 once cosh² overflows). */
    public static double tanhPrime(double x) {
        double c = Math.cosh(x);
        return 1.0 / (c * c);
    }

    /** max(x, 0); the branch is decided by x ≤ 0 (relu(0) = 0; NaN propagates). */
    public static double relu(double x) { return x <= 0 ? 0.0 : x; }

    /** 1 for x &gt; 0, else 0 (the derivative of the branch {@link #relu} takes). */
    public static double reluPrime(double x) { return x <= 0 ? 0.0 : 1.0; }

    /** +1 for x ≥ 0 (abs(0) takes the + branch), −1 for x &lt; 0. */
    public static double absPrime(double x) { return x < 0 ? -1.0 : 1.0; }
}
