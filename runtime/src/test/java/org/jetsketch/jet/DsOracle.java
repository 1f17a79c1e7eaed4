package org.jetsketch.jet;

import java.util.function.UnaryOperator;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.apache.commons.math3.special.Erf;

/**
 * The independent oracle for real jets: Commons Math {@link DerivativeStructure} in one free
 * variable t of order k. A real input jet x_0 + x_1 t + … + x_k t^k is built as a DS polynomial,
 * the function is applied in DS arithmetic, and the Taylor coefficients are read back as
 * f^(r)(0)/r!. Functions DS lacks (erf, Φ) are composed from their derivatives, computed here
 * by the Hermite recurrences.
 */
final class DsOracle {
    private DsOracle() {}

    /** The DS of the polynomial Σ x_r t^r (Horner). */
    static DerivativeStructure poly(double[] x, int k) {
        DerivativeStructure t = new DerivativeStructure(1, k, 0, 0.0);
        DerivativeStructure p = new DerivativeStructure(1, k, x[k]);
        for (int r = k - 1; r >= 0; r--) p = p.multiply(t).add(x[r]);
        return p;
    }

    /** Taylor coefficients f^(r)/r!, r = 0..k. */
    static double[] taylor(DerivativeStructure d, int k) {
        double[] c = new double[k + 1];
        double fact = 1;
        for (int r = 0; r <= k; r++) {
            if (r > 0) fact *= r;
            c[r] = d.getPartialDerivative(r) / fact;
        }
        return c;
    }

    static double[] apply(UnaryOperator<DerivativeStructure> f, double[] x, int k) {
        return taylor(f.apply(poly(x, k)), k);
    }

    static DerivativeStructure constant(DerivativeStructure like, double c) {
        return new DerivativeStructure(like.getFreeParameters(), like.getOrder(), c);
    }

    /** erf(p): compose with erf^(n)(x) = (2/√π)(−1)^(n−1) H_(n−1)(x) e^(−x²) (physicists' Hermite). */
    static DerivativeStructure erf(DerivativeStructure p) {
        int k = p.getOrder();
        double x = p.getValue();
        double[] f = new double[k + 1];
        f[0] = Erf.erf(x);
        double g = 2 / Math.sqrt(Math.PI) * Math.exp(-x * x);
        double hPrev = 0, h = 1; // H_{-1} (unused), H_0
        for (int n = 1; n <= k; n++) {
            // f[n] uses H_{n-1}
            f[n] = ((n - 1) % 2 == 0 ? 1 : -1) * h * g;
            double hNext = 2 * x * h - 2 * (n - 1) * hPrev;
            hPrev = h;
            h = hNext;
        }
        return p.compose(f);
    }

    /** Φ(p): compose with Φ^(n)(x) = (−1)^(n−1) He_(n−1)(x) φ(x) (probabilists' Hermite). */
    static DerivativeStructure normalCdf(DerivativeStructure p) {
        int k = p.getOrder();
        double x = p.getValue();
        double[] f = new double[k + 1];
        f[0] = 0.5 * Erf.erfc(-x / Math.sqrt(2));
        double phi = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
        double hPrev = 0, h = 1;
        for (int n = 1; n <= k; n++) {
            f[n] = ((n - 1) % 2 == 0 ? 1 : -1) * h * phi;
            double hNext = x * h - (n - 1) * hPrev;
            hPrev = h;
            h = hNext;
        }
        return p.compose(f);
    }

    static DerivativeStructure normalPdf(DerivativeStructure p) {
        return p.multiply(p).multiply(-0.5).exp().multiply(1 / Math.sqrt(2 * Math.PI));
    }

    static DerivativeStructure sigmoid(DerivativeStructure p) {
        return p.negate().exp().add(1).reciprocal();
    }

    static DerivativeStructure softplus(DerivativeStructure p) {
        return p.exp().log1p();
    }

    static DerivativeStructure gelu(DerivativeStructure p) {
        return p.multiply(normalCdf(p));
    }

    static DerivativeStructure relu(DerivativeStructure p) {
        return p.getValue() <= 0 ? p.multiply(0.0) : p;
    }
}
