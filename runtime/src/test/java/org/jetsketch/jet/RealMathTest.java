package org.jetsketch.jet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;

/**
 * RealMath against independent formulas: values against the textbook definitions, derivatives
 * against {@link DerivativeStructure} (or the Hermite-composed oracle for erf and GELU), and the
 * degree-0 jets, which must give exactly the same numbers.
 */
class RealMathTest {

    static DerivativeStructure x(double v) {
        return new DerivativeStructure(1, 1, 0, v);
    }

    @Test
    void valuesAndDerivativesOnAGrid() {
        for (int i = -40; i <= 40; i++) {
            double v = i * 0.1;
            double tol = 1e-14;
            assertEquals(Erf.erf(v), RealMath.erf(v), 1e-15);
            assertEquals(DsOracle.erf(x(v)).getPartialDerivative(1), RealMath.erfPrime(v), tol);
            assertEquals(v * 0.5 * (1 + Erf.erf(v / Math.sqrt(2))), RealMath.gelu(v), tol);
            assertEquals(DsOracle.gelu(x(v)).getPartialDerivative(1), RealMath.geluPrime(v), tol);
            assertEquals(1 / (1 + Math.exp(-v)), RealMath.sigmoid(v), tol);
            assertEquals(DsOracle.sigmoid(x(v)).getPartialDerivative(1), RealMath.sigmoidPrime(v), tol);
            assertEquals(Math.log(1 + Math.exp(v)), RealMath.softplus(v), tol);
            assertEquals(DsOracle.softplus(x(v)).getPartialDerivative(1), RealMath.softplusPrime(v), tol);
            assertEquals(x(v).tanh().getPartialDerivative(1), RealMath.tanhPrime(v), tol);
            assertEquals(Math.max(v, 0), RealMath.relu(v), 0.0);
            assertEquals(v > 0 ? 1.0 : 0.0, RealMath.reluPrime(v), 0.0);
            assertEquals(v < 0 ? -1.0 : 1.0, RealMath.absPrime(v), 0.0);
            if (v != 0) {
                assertEquals(1 / v, RealMath.reciprocal(v), 0.0);
                assertEquals(-1 / (v * v), RealMath.reciprocalPrime(v), tol / (v * v));
                assertEquals(3 / v, RealMath.div(3, v), 0.0);
                assertEquals(Math.pow(v, -3), RealMath.pow(v, -3), 0.0);
                assertEquals(-3 * Math.pow(v, -4), RealMath.powPrime(v, -3), 1e-12 * Math.pow(v, -4));
            }
            if (v > 0) {
                double t = tol * Math.max(1, 1 / (v * v));
                assertEquals(Math.log(v), RealMath.log(v), 0.0);
                assertEquals(1 / v, RealMath.logPrime(v), 0.0);
                assertEquals(Math.sqrt(v), RealMath.sqrt(v), 0.0);
                assertEquals(x(v).sqrt().getPartialDerivative(1), RealMath.sqrtPrime(v), t);
                assertEquals(1 / Math.sqrt(v), RealMath.rsqrt(v), 0.0);
                assertEquals(x(v).pow(-0.5).getPartialDerivative(1), RealMath.rsqrtPrime(v), t * 10);
                assertEquals(Math.pow(v, 2.5), RealMath.pow(v, 2.5), 0.0);
                assertEquals(x(v).pow(2.5).getPartialDerivative(1), RealMath.powPrime(v, 2.5), 1e-13 * Math.max(1, v * v));
            }
            if (v > -1) {
                assertEquals(Math.log1p(v), RealMath.log1p(v), 0.0);
                assertEquals(1 / (1 + v), RealMath.log1pPrime(v), 0.0);
            }
        }
    }

    @Test
    void stableInTheTails() {
        assertEquals(0.0, RealMath.sigmoid(-800), 0.0);
        assertEquals(1.0, RealMath.sigmoid(800), 0.0);
        assertEquals(Math.exp(-50), RealMath.sigmoidPrime(50), 1e-15 * Math.exp(-50));
        assertEquals(800.0, RealMath.softplus(800), 0.0);
        assertEquals(0.0, RealMath.tanhPrime(400), 0.0);
        assertEquals(-0.0, RealMath.gelu(-40), 1e-300);
        // Lower tail of GELU: Φ(x) ≈ φ(x)/|x|·(1 − 1/x² + 3/x⁴ − 15/x⁶ + 105/x⁸) at x = −10 (asymptotic
        // series, error ≈ 945/x¹⁰ ≈ 1e-7): relative accuracy is kept where 1 + erf would cancel.
        double g = RealMath.gelu(-10);
        double approx = -Math.exp(-50) / Math.sqrt(2 * Math.PI) * (1 - 1e-2 + 3e-4 - 15e-6 + 105e-8);
        assertEquals(approx, g, 2e-7 * Math.abs(approx));
    }

    @Test
    void degreeZeroJetsAgreeWithRealMathExactly() {
        Jets j = new Jets(0, 1);
        double[] a = new double[1], y = new double[1], d = new double[1];
        for (int i = -20; i <= 20; i++) {
            double v = i * 0.25 + 0.01;
            a[0] = v;
            j.erf(a, 0, y, 0);
            assertEquals(RealMath.erf(v), y[0], 0.0);
            j.erfPrime(a, 0, y, 0, d, 0);
            assertEquals(RealMath.erfPrime(v), d[0], 1e-16);
            j.gelu(a, 0, y, 0);
            assertEquals(RealMath.gelu(v), y[0], 0.0);
            j.geluPrime(a, 0, y, 0, d, 0);
            assertEquals(RealMath.geluPrime(v), d[0], 1e-15);
            j.sigmoid(a, 0, y, 0);
            assertEquals(RealMath.sigmoid(v), y[0], 0.0);
            j.softplus(a, 0, y, 0);
            assertEquals(RealMath.softplus(v), y[0], 0.0);
            if (v > 0) {
                j.log(a, 0, y, 0);
                assertEquals(RealMath.log(v), y[0], 0.0);
                j.rsqrt(a, 0, y, 0);
                assertEquals(RealMath.rsqrt(v), y[0], 0.0);
                j.pow(a, 0, 1.7, y, 0);
                assertEquals(RealMath.pow(v, 1.7), y[0], 0.0);
            }
        }
    }
}
