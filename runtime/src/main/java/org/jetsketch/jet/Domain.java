package org.jetsketch.jet;

/**
 * The domain rules shared by the jet kernels ({@link Jets}) and the real helpers
 * ({@link RealMath}), so that ordinary and jet code reject exactly the same arguments. Each check
 * throws {@link JetDomainException} naming the operation and the value.
 */
final class Domain {
    private Domain() {}

    static void finite(String op, double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            throw new JetDomainException(op, "constant term must be finite", x);
        }
    }

    /** log, sqrt, rsqrt, pow with a non-integer exponent: x finite and > 0. */
    static void positive(String op, double x) {
        finite(op, x);
        if (!(x > 0)) throw new JetDomainException(op, "constant term must be > 0", x);
    }

    /** log1p: x finite and > −1. */
    static void aboveMinusOne(String op, double x) {
        finite(op, x);
        if (!(x > -1)) throw new JetDomainException(op, "constant term must be > -1", x);
    }

    /** reciprocal: x finite and ≠ 0. */
    static void nonZero(String op, double x) {
        finite(op, x);
        if (x == 0) throw new JetDomainException(op, "constant term must be nonzero", x);
    }

    /** div: the dividend finite, the divisor finite and ≠ 0. */
    static void division(String op, double dividend, double divisor) {
        if (Double.isNaN(dividend) || Double.isInfinite(dividend)) {
            throw new JetDomainException(op, "dividend's constant term must be finite", dividend);
        }
        if (Double.isNaN(divisor) || Double.isInfinite(divisor)) {
            throw new JetDomainException(op, "divisor's constant term must be finite", divisor);
        }
        if (divisor == 0) throw new JetDomainException(op, "divisor's constant term must be nonzero", divisor);
    }

    static boolean isInteger(double p) {
        return p == Math.rint(p) && !Double.isInfinite(p);
    }

    /**
     * x^p: p finite; x finite; x > 0 unless p is an integer; x ≠ 0 if p is a negative integer.
     */
    static void pow(String op, double x, double p) {
        if (Double.isNaN(p) || Double.isInfinite(p)) {
            throw new JetDomainException(op, "exponent must be finite", p);
        }
        finite(op, x);
        if (!isInteger(p)) {
            if (!(x > 0)) {
                throw new JetDomainException(op, "constant term must be > 0 for the non-integer exponent " + p, x);
            }
        } else if (p < 0 && x == 0) {
            throw new JetDomainException(op, "constant term must be nonzero for the negative exponent " + p, x);
        }
    }
}
