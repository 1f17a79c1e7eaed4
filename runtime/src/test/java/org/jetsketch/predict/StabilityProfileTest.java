package org.jetsketch.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class StabilityProfileTest {

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /** n = 3, k = 2: C(3,1) = 3, C(4,2) = 6. */
    @Test
    void smallCaseByHand() {
        double[] c = {
                3, 4, 0, 0,        // direction 0: c_1 = 3+4i, c_2 = 0
                1, 0, 0, 0.5};     // direction 1: c_1 = 1,    c_2 = 0.5i
        StabilityProfile p = StabilityProfile.of(3, 2, c);
        assertEquals(2, p.directions());
        assertEquals(2, p.degree());
        assertEquals(log2(Math.sqrt(3) * 5), p.log2Term(0, 1), 1e-12);
        assertEquals(Double.NEGATIVE_INFINITY, p.log2Term(0, 2));
        assertEquals(log2(Math.sqrt(3)), p.log2Term(1, 1), 1e-12);
        assertEquals(log2(Math.sqrt(6) * 0.5), p.log2Term(1, 2), 1e-12);
        assertEquals((log2(Math.sqrt(3) * 5) + log2(Math.sqrt(3))) / 2, p.meanLog2(1), 1e-12);
        assertEquals(Double.NEGATIVE_INFINITY, p.meanLog2(2), "a zero coefficient makes the mean -infinity");
        assertArrayEquals(new double[] {p.meanLog2(1), p.meanLog2(2)}, p.meanLog2(), 0.0);
    }

    /** The smallest and largest term per degree over the directions, by hand on the case above. */
    @Test
    void minAndMaxByHand() {
        StabilityProfile p = StabilityProfile.of(3, 2, new double[] {3, 4, 0, 0, 1, 0, 0, 0.5});
        assertEquals(log2(Math.sqrt(3)), p.minLog2(1), 1e-12);
        assertEquals(log2(Math.sqrt(3) * 5), p.maxLog2(1), 1e-12);
        assertEquals(Double.NEGATIVE_INFINITY, p.minLog2(2), "a zero coefficient is the smallest term");
        assertEquals(log2(Math.sqrt(6) * 0.5), p.maxLog2(2), 1e-12);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> p.minLog2(3));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> p.maxLog2(0));
    }

    @Test
    void tableAndRawCoefficientsAgree() {
        CoefficientTable t = RandomTables.table(10, 7, 3, 0.2, 1);
        StabilityProfile a = StabilityProfile.of(t), b = StabilityProfile.of(10, 3, t.coefficients());
        for (int r = 1; r <= 3; r++) {
            assertEquals(b.meanLog2(r), a.meanLog2(r), 0.0);
            for (int j = 0; j < 7; j++) {
                double expected = log2(Math.sqrt(org.apache.commons.math3.util.CombinatoricsUtils.binomialCoefficientDouble(10 + r - 1, r))
                        * Math.hypot(t.re(j, r), t.im(j, r)));
                assertEquals(expected, a.log2Term(j, r), 1e-12);
            }
        }
    }

    /** log2 of a big integer: bit length plus the log of the top 62 bits. */
    private static double log2(BigInteger x) {
        int shift = Math.max(0, x.bitLength() - 62);
        return shift + log2(x.shiftRight(shift).doubleValue());
    }

    /** n = 32,032, r up to 100: C(n+r−1, r) ≈ 2^982 still fits, r = 100 with |c| = 2^-900 stays finite. */
    @Test
    void largeNAndDegreeStayFinite() {
        int n = 32032, k = 100, m = 3;
        double[] c = new double[m * 2 * k];
        for (int j = 0; j < m; j++) {
            for (int r = 1; r <= k; r++) {
                int q = j * k + r - 1;
                double mag = Math.scalb(1.0 + j, -9 * r);
                c[2 * q] = mag * Math.cos(r + j);
                c[2 * q + 1] = mag * Math.sin(r + j);
            }
        }
        StabilityProfile p = StabilityProfile.of(n, k, c);
        for (int r = 1; r <= k; r++) {
            BigInteger binom = BigInteger.ONE;
            for (int i = 1; i <= r; i++) {
                binom = binom.multiply(BigInteger.valueOf(n - 1L + i)).divide(BigInteger.valueOf(i));
            }
            double halfLog2C = 0.5 * log2(binom);
            double mean = 0;
            for (int j = 0; j < m; j++) {
                double expected = halfLog2C + log2(1.0 + j) - 9 * r;
                assertTrue(Double.isFinite(p.log2Term(j, r)));
                assertEquals(expected, p.log2Term(j, r), 1e-9 * Math.max(1, Math.abs(expected)), "j=" + j + " r=" + r);
                mean += expected / m;
            }
            assertEquals(mean, p.meanLog2(r), 1e-9 * Math.max(1, Math.abs(mean)), "mean r=" + r);
        }
    }
}
