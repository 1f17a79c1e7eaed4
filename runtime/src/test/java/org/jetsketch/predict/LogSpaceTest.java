package org.jetsketch.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import org.jetsketch.sketch.Directions;
import org.junit.jupiter.api.Test;

/**
 * Single terms X = Re(C(n+r−1, r)·c·s^r) where the binomial factor alone overflows a double
 * (n = 10^6, r = 80: about e^834) or s^r underflows, against an oracle in exact integers and
 * 40-digit decimals. One sketch, one nonzero degree per table, so mean(r) is the term itself.
 */
class LogSpaceTest {

    static final int N = 1_000_000;
    static final long SEED = 4L;
    static final int DIRECTION = 3;
    static final MathContext MC = new MathContext(40);
    static final double[] PSI = Directions.direction(SEED, DIRECTION, N);

    static CoefficientTable single(int r, double cRe, double cIm) {
        double[] c = new double[2 * r];
        c[2 * (r - 1)] = cRe;
        c[2 * (r - 1) + 1] = cIm;
        return CoefficientTable.of(N, SEED, r, new int[] {DIRECTION}, new double[] {0.0}, c);
    }

    static BigDecimal binomial(int n, int r) {
        BigInteger b = BigInteger.ONE;
        for (int i = 1; i <= r; i++) b = b.multiply(BigInteger.valueOf(n - 1L + i)).divide(BigInteger.valueOf(i));
        return new BigDecimal(b);
    }

    /** Re(C·c·s^r) in decimals, s = w0·conj(ψ_0) + w7·conj(ψ_7). */
    static double oracle(int r, double cRe, double cIm, double w0, double w7) {
        BigDecimal sr = new BigDecimal(w0).multiply(new BigDecimal(PSI[0]), MC)
                .add(new BigDecimal(w7).multiply(new BigDecimal(PSI[14]), MC), MC);
        BigDecimal si = new BigDecimal(w0).multiply(new BigDecimal(PSI[1]), MC)
                .add(new BigDecimal(w7).multiply(new BigDecimal(PSI[15]), MC), MC).negate();
        BigDecimal pr = BigDecimal.ONE, pi = BigDecimal.ZERO;
        for (int t = 0; t < r; t++) {
            BigDecimal nr = pr.multiply(sr, MC).subtract(pi.multiply(si, MC), MC);
            pi = pr.multiply(si, MC).add(pi.multiply(sr, MC), MC);
            pr = nr;
        }
        BigDecimal re = new BigDecimal(cRe).multiply(pr, MC).subtract(new BigDecimal(cIm).multiply(pi, MC), MC);
        return binomial(N, r).multiply(re, MC).doubleValue();
    }

    static double predicted(int r, double cRe, double cIm, double w0, double w7) {
        double[] w = new double[N];
        w[0] = w0;
        w[7] = w7;
        Prediction p = DeletionEstimator.onTheFly(single(r, cRe, cIm)).predictWeights(w);
        assertTrue(Double.isNaN(p.standardError(r)), "one sketch: no standard error");
        return p.mean(r);
    }

    @Test
    void termsMatchExactArithmetic() {
        assertTrue(Math.abs(PSI[0]) > 1e-5 && Math.abs(PSI[0]) < 1e-2, "|psi_0| ~ n^-1/2");
        assertTrue(DeletionEstimator.logBinomial(N, 80) > 800, "C alone overflows at r = 80");
        assertTrue(DeletionEstimator.logBinomial(N, 60) > 600, "C is huge at r = 60");
        double[][] cases = {
                // r, re c, im c, w0, w7
                {1, 1.0, 2.0, 1.0, -0.5},           // ordinary, direct
                {2, -0.5, 0.25, 3.0, 1.0},          // ordinary, direct
                {60, 3e-250, -1e-250, 300, -150},   // C ≈ e^640 kept as C·c, s^60 formed directly
                {80, 1e-300, 2e-301, 100, 50},      // C overflows, C·c ≈ e^143 kept from logs, direct
                {80, 2e250, 5e249, 1e-3, -5e-4},    // C·c ≈ e^1410 and |s|^80 ≈ e^-1105: log space
                {80, -7e200, 1e200, 2e-2, 0},       // mixed: log space
        };
        for (double[] c : cases) {
            int r = (int) c[0];
            double expected = oracle(r, c[1], c[2], c[3], c[4]);
            double got = predicted(r, c[1], c[2], c[3], c[4]);
            assertTrue(Double.isFinite(got) && expected != 0, "r=" + r + " expected " + expected + " got " + got);
            assertEquals(expected, got, 1e-11 * Math.abs(expected), "r=" + r + " c=" + c[1] + "+" + c[2] + "i");
        }
    }

    @Test
    void overflowingTermThrowsNamingSketchAndDegree() {
        double[] w = new double[N];
        w[0] = 1e2;
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> DeletionEstimator.onTheFly(single(80, 2e250, 5e249)).predictWeights(w));
        assertTrue(e.getMessage().contains("degree-80 term of sketch 0 (direction 3)"), e.getMessage());
    }

    @Test
    void zeroCoefficientOrZeroSumGivesExactlyZero() {
        double[] w = new double[N];
        w[0] = 1e300;
        assertEquals(0.0, DeletionEstimator.onTheFly(single(80, 0, 0)).predictWeights(w).mean(80), 0.0);
        assertEquals(0.0, DeletionEstimator.onTheFly(single(80, 1e300, 0)).predictDeletion(new int[0]).mean(80), 0.0);
    }

    @Test
    void logBinomialMatchesExactValues() {
        for (int[] nr : new int[][] {{1, 5}, {3, 2}, {66, 3}, {500, 300}, {520, 509}, {32032, 100}, {N, 80}}) {
            BigInteger exact = binomial(nr[0], nr[1]).toBigInteger();
            int shift = Math.max(0, exact.bitLength() - 62);
            double ln = shift * Math.log(2) + Math.log(exact.shiftRight(shift).doubleValue());
            double got = DeletionEstimator.logBinomial(nr[0], nr[1]);
            assertTrue(Double.isFinite(got));
            assertEquals(ln, got, 1e-12 * Math.max(1, ln), "n=" + nr[0] + " r=" + nr[1]);
        }
        assertEquals(0.0, DeletionEstimator.logBinomial(7, 0), 0.0);
    }
}
