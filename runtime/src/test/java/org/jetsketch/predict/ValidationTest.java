package org.jetsketch.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.junit.jupiter.api.Test;

class ValidationTest {

    @Test
    void matchesCommonsMathOnARandomList() {
        Random r = new Random(12);
        List<Validation.Case> cases = new ArrayList<>();
        double[] x = new double[9], y = new double[9];
        double sumAbs = 0;
        int one = 0, two = 0;
        for (int i = 0; i < 9; i++) {
            x[i] = r.nextGaussian();
            y[i] = x[i] + 0.3 * r.nextGaussian();
            if (i == 4) y[i] = y[3]; // a tie for the ranks
            double se = 0.2 * r.nextDouble();
            cases.add(new Validation.Case("set" + i, x[i], se, y[i]));
            double err = Math.abs(x[i] - y[i]);
            sumAbs += err;
            if (err <= se) one++;
            if (err <= 2 * se) two++;
        }
        Validation v = Validation.of(cases);
        assertEquals(new PearsonsCorrelation().correlation(x, y), v.pearson().value(), 0.0);
        assertEquals(new SpearmansCorrelation().correlation(x, y), v.spearman().value(), 0.0);
        assertEquals(sumAbs / 9, v.meanAbsoluteError(), 1e-15);
        assertEquals(one / 9.0, v.fractionWithinOneSE(), 0.0);
        assertEquals(two / 9.0, v.fractionWithinTwoSE(), 0.0);
        for (int i = 0; i < 9; i++) {
            Validation.CaseResult c = v.results().get(i);
            assertEquals("set" + i, c.input().label());
            assertEquals(Math.abs(x[i] - y[i]), c.absoluteError(), 0.0);
        }
        assertTrue(v.toString().contains("Pearson"));
    }

    /** predicted 1,2,3; retrained 1,2,4; SE 0.1, 0, 0.6. */
    @Test
    void handComputedCase() {
        Validation v = Validation.of(List.of(
                new Validation.Case("a", 1, 0.1, 1),
                new Validation.Case("b", 2, 0.0, 2),
                new Validation.Case("c", 3, 0.6, 4)));
        assertEquals(1.0 / 3, v.meanAbsoluteError(), 1e-15);
        // Σdxdy = 3, Σdx² = 2, Σdy² = 42/9: r = 3 / sqrt(2·42/9) = 9 / sqrt(84)
        assertEquals(9 / Math.sqrt(84), v.pearson().value(), 1e-15);
        assertEquals(1.0, v.spearman().value(), 1e-15);
        assertTrue(v.results().get(0).withinOneSE());
        assertTrue(v.results().get(1).withinOneSE(), "an exact prediction is within a zero SE");
        assertFalse(v.results().get(2).withinOneSE());
        assertTrue(v.results().get(2).withinTwoSE());
        assertEquals(2.0 / 3, v.fractionWithinOneSE(), 1e-15);
        assertEquals(1.0, v.fractionWithinTwoSE(), 0.0);
        assertEquals(1.0, v.results().get(2).absoluteError(), 0.0);
    }

    @Test
    void correlationsNotAvailableWithAReason() {
        Validation single = Validation.of(List.of(new Validation.Case("only", 1, 0.1, 1.05)));
        assertFalse(single.pearson().isAvailable());
        assertFalse(single.spearman().isAvailable());
        assertTrue(single.pearson().reason().contains("fewer than 2 sets"), single.pearson().reason());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> single.pearson().value());
        assertTrue(e.getMessage().contains("fewer than 2"), e.getMessage());
        assertTrue(single.pearson().toString().startsWith("n/a"));
        assertEquals(0.05, single.meanAbsoluteError(), 1e-15);

        Validation flatPredicted = Validation.of(List.of(new Validation.Case("a", 2, 0.1, 1),
                new Validation.Case("b", 2, 0.1, 3)));
        assertFalse(flatPredicted.pearson().isAvailable());
        assertTrue(flatPredicted.spearman().reason().contains("predicted values are all equal"));

        Validation flatRetrained = Validation.of(List.of(new Validation.Case("a", 1, 0.1, 5),
                new Validation.Case("b", 2, 0.1, 5)));
        assertFalse(flatRetrained.spearman().isAvailable());
        assertTrue(flatRetrained.pearson().reason().contains("retrained values are all equal"));
        assertEquals("", Validation.of(List.of(new Validation.Case("a", 1, 0, 1), new Validation.Case("b", 2, 0, 3)))
                .pearson().reason());
    }

    @Test
    void badInputNamesTheValue() {
        expect(() -> new Validation.Case("x", Double.NaN, 0.1, 1), "NaN");
        expect(() -> new Validation.Case("x", 1, -0.5, 1), "-0.5");
        expect(() -> new Validation.Case("x", 1, Double.NaN, 1), "NaN");
        expect(() -> new Validation.Case("x", 1, Double.POSITIVE_INFINITY, 1), "Infinity");
        expect(() -> new Validation.Case("x", 1, 0.1, Double.NEGATIVE_INFINITY), "-Infinity");
        expect(() -> new Validation.Case(null, 1, 0.1, 1), "label");
        expect(() -> Validation.of(List.of()), "0");
        expect(() -> Validation.of(null), "null");
        List<Validation.Case> withNull = new ArrayList<>();
        withNull.add(new Validation.Case("a", 1, 1, 1));
        withNull.add(null);
        expect(() -> Validation.of(withNull), "case 1");
    }

    private static void expect(org.junit.jupiter.api.function.Executable ex, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ex);
        assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
    }
}
