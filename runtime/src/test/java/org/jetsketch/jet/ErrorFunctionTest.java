package org.jetsketch.jet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;

/** The allocation-free erf/erfc/Φ against Commons Math on a grid. */
class ErrorFunctionTest {

    @Test
    void erfAndErfcMatchCommonsMath() {
        double worstErf = 0, worstErfc = 0;
        for (int i = -8000; i <= 8000; i++) {
            double x = i * 1e-3;
            worstErf = Math.max(worstErf, Math.abs(ErrorFunction.erf(x) - Erf.erf(x)));
            double want = Erf.erfc(x);
            worstErfc = Math.max(worstErfc, Math.abs(ErrorFunction.erfc(x) - want) / want);
        }
        assertTrue(worstErf <= 1e-14, "erf worst absolute error " + worstErf);
        assertTrue(worstErfc <= 1e-13, "erfc worst relative error " + worstErfc);
    }

    @Test
    void normalCdfMatchesCommonsMathIncludingTheLowerTail() {
        for (int i = -3700; i <= 800; i++) {
            double x = i * 1e-2;
            double want = 0.5 * Erf.erfc(-x / Math.sqrt(2));
            // Condition number of Φ in the lower tail ≈ x²: rounding x/√2 alone costs ~x²·1e-16 (in both);
            // for 1 < -x/√2 < 1.5, erfc = 1 − erf loses up to a factor 30.
            assertEquals(want, ErrorFunction.normalCdf(x), (3e-14 + 5e-16 * x * x) * want, "Phi(" + x + ")");
        }
        assertEquals(0.0, ErrorFunction.erf(0.0));
        assertEquals(1.0, ErrorFunction.erf(10.0));
        assertEquals(-1.0, ErrorFunction.erf(Double.NEGATIVE_INFINITY));
        assertEquals(0.0, ErrorFunction.erfc(Double.POSITIVE_INFINITY));
        assertEquals(2.0, ErrorFunction.erfc(-30.0));
        assertTrue(Double.isNaN(ErrorFunction.normalCdf(Double.NaN)));
    }
}
