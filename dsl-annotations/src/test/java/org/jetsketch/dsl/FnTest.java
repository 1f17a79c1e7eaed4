package org.jetsketch.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;

/** Fn's real implementations against Commons Math and the defining formulas. */
class FnTest {

    @Test
    void erfMatchesCommonsMathOnAGrid() {
        double worstAbs = 0, worstRel = 0;
        for (int i = -8000; i <= 8000; i++) {
            double x = i * 1e-3;
            double want = Erf.erf(x), got = Fn.erf(x);
            double abs = Math.abs(got - want);
            worstAbs = Math.max(worstAbs, abs);
            if (want != 0) worstRel = Math.max(worstRel, abs / Math.abs(want));
        }
        assertTrue(worstAbs <= 1e-14, "worst absolute error " + worstAbs);
        assertTrue(worstRel <= 5e-15, "worst relative error " + worstRel);
    }

    @Test
    void erfSmallArgumentsAndEdges() {
        // erf x = (2/√π)(x − x³/3 + …) for tiny x: full relative accuracy, odd symmetry.
        for (double x : new double[] {1e-300, 1e-20, 1e-8, 3e-5}) {
            double want = 1.1283791670955126 * x * (1 - x * x / 3);
            assertEquals(want, Fn.erf(x), 4e-16 * want); // 2 ulp
            assertEquals(-Fn.erf(x), Fn.erf(-x));
        }
        assertEquals(0.0, Fn.erf(0.0));
        assertEquals(1.0, Fn.erf(7.0));
        assertEquals(-1.0, Fn.erf(-40.0));
        assertEquals(1.0, Fn.erf(Double.POSITIVE_INFINITY));
        assertTrue(Double.isNaN(Fn.erf(Double.NaN)));
    }

    @Test
    void geluIsXTimesNormalCdf() {
        for (int i = -4000; i <= 4000; i++) {
            double x = i * 1e-2;
            double want = x * 0.5 * Erf.erfc(-x / Math.sqrt(2));
            assertEquals(want, Fn.gelu(x), 1e-14 + 1e-13 * Math.abs(want), "gelu(" + x + ")");
        }
        assertEquals(0.0, Fn.gelu(0.0));
        assertEquals(100.0, Fn.gelu(100.0));
        assertEquals(0.0, Fn.gelu(-100.0), 0.0);
    }

    @Test
    void sigmoidAndSoftplusAreStable() {
        for (int i = -300; i <= 300; i++) {
            double x = i * 0.1;
            assertEquals(1 / (1 + Math.exp(-x)), Fn.sigmoid(x), 1e-15);
            assertEquals(Math.log(1 + Math.exp(x)), Fn.softplus(x), 1e-14 * Math.max(1, Math.abs(x)));
        }
        assertEquals(0.0, Fn.sigmoid(-1000.0));
        assertEquals(1.0, Fn.sigmoid(1000.0));
        assertEquals(0.5, Fn.sigmoid(0.0));
        assertEquals(1000.0, Fn.softplus(1000.0));
        assertEquals(Math.exp(-700), Fn.softplus(-700.0), 1e-15 * Math.exp(-700));
        assertEquals(Math.log(2), Fn.softplus(0.0), 0.0);
    }

    @Test
    void rsqrtSquareRelu() {
        assertEquals(0.5, Fn.rsqrt(4.0));
        assertEquals(Double.POSITIVE_INFINITY, Fn.rsqrt(0.0));
        assertEquals(6.25, Fn.square(-2.5));
        assertEquals(3.0, Fn.relu(3.0));
        assertEquals(0.0, Fn.relu(-3.0));
        assertEquals(0.0, Fn.relu(0.0));
        assertTrue(Double.isNaN(Fn.relu(Double.NaN)));
    }
}
