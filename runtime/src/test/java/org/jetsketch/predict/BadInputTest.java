package org.jetsketch.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every bad input is an IllegalArgumentException whose message names the offending value. */
class BadInputTest {

    private static void expect(Executable ex, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ex);
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "'" + f + "' not in: " + e.getMessage());
    }

    private static final int[] IDX = {0, 1, 2};
    private static final double[] F0 = {1, 1, 1};

    @Test
    void coefficientTable() {
        double[] c = new double[3 * 2 * 2];
        expect(() -> CoefficientTable.of(5, 0, 0, IDX, F0, new double[0]), "degree", "0");
        expect(() -> CoefficientTable.of(0, 0, 2, IDX, F0, c), "examples", "0");
        expect(() -> CoefficientTable.of(5, 0, 2, new int[0], new double[0], new double[0]), "at least one sketch");
        expect(() -> CoefficientTable.of(5, 0, 2, IDX, new double[] {1, 1}, c), "f0 has length 2");
        expect(() -> CoefficientTable.of(5, 0, 2, IDX, F0, new double[11]), "length 11", "12");
        expect(() -> CoefficientTable.of(5, 0, 2, new int[] {0, -4, 2}, F0, c), "-4");
        expect(() -> CoefficientTable.of(5, 0, 2, new int[] {7, 3, 7}, F0, c), "direction index 7 is repeated");
        expect(() -> CoefficientTable.of(5, 0, 2, IDX, new double[] {1, Double.NaN, 1}, c), "sketch 1", "NaN");
        expect(() -> CoefficientTable.of(5, 0, 2, IDX, new double[] {1, 1, 1 + 1e-8}, c), "f(0) differs", "1.00000001");
        CoefficientTable.of(5, 0, 2, IDX, new double[] {1, 1, 1 + 1e-10}, c); // within 1e-9 relative
        CoefficientTable.of(5, 0, 2, IDX, new double[] {0, 0, 0}, c);
        double[] bad = c.clone();
        bad[7] = Double.POSITIVE_INFINITY;
        expect(() -> CoefficientTable.of(5, 0, 2, IDX, F0, bad), "c_{1,2}", "imaginary", "Infinity");
        expect(() -> CoefficientTable.of(Integer.MAX_VALUE, 0, 2, IDX, F0, c), "exceeds");
        expect(() -> CoefficientTable.builder(3, 0, 2).add(0, 1, new double[3]), "length 3");
        expect(() -> CoefficientTable.builder(3, 0, 2).addJet(0, new double[] {1, 0.5, 0, 0, 0, 0}),
                "imaginary part 0.5");
        expect(() -> CoefficientTable.builder(3, 0, 0), "degree", "0");
        CoefficientTable t = CoefficientTable.of(5, 0, 2, IDX, F0, c);
        expect(() -> t.re(3, 1), "3");
        expect(() -> t.im(0, 3), "3");
        expect(() -> t.head(4), "4");
    }

    @Test
    void builderLayoutAndAccessors() {
        CoefficientTable.Builder b = CoefficientTable.builder(4, 11L, 2);
        for (int j = 0; j < 40; j++) b.addJet(100 + j, new double[] {2.0, 0.0, j, -j, 0.5 * j, 7});
        CoefficientTable t = b.build();
        assertEquals(40, t.sketches());
        assertEquals(2.0, t.f0());
        assertEquals(139, t.directionIndex(39));
        assertEquals(-39.0, t.im(39, 1));
        assertEquals(19.5, t.re(39, 2));
        double[] flat = t.coefficients();
        assertEquals(7.0, flat[2 * (39 * 2 + 2 - 1) + 1]);
        assertArrayEquals(new int[] {100, 101}, t.head(2).directionIndices());
    }

    @Test
    void estimatorQueries() {
        CoefficientTable t = RandomTables.table(6, 10, 3, 0.0, 1);
        DeletionEstimator e = DeletionEstimator.cached(t);
        expect(() -> e.predictDeletion(new int[] {0}, 11), "11", "more groups than sketches");
        expect(() -> e.predictDeletion(new int[] {0}, 0), "got 0");
        expect(() -> e.predictDeletion(new int[] {1, 6}), "index 6");
        expect(() -> e.predictDeletion(new int[] {-1}), "index -1");
        expect(() -> e.predictDeletion(new int[] {2, 4, 2}), "index 2 is repeated");
        expect(() -> e.predictDeletion(null), "null");
        expect(() -> e.predictWeights(new double[5]), "length 5");
        double[] w = new double[6];
        w[4] = Double.NaN;
        expect(() -> e.predictWeights(w), "w[4]", "NaN");
        expect(() -> e.leaveOneOut(0), "got 0");
        expect(() -> e.leaveOneOut(4), "got 4");
        expect(() -> e.leaveOneOut(2, 12), "12");
        expect(() -> e.curveDeletion(new int[] {0}, new double[] {0, Double.NEGATIVE_INFINITY}), "t[1]", "-Infinity");
        expect(() -> e.curveWeights(new double[6], new double[] {0}, 11), "11");
        expect(() -> e.curveDeletion(new int[] {9}, new double[] {0}), "index 9");
        expect(() -> e.predictDeletion(new int[] {0}).mean(4), "got 4");
        expect(() -> e.leaveOneOut(1).prediction(6), "got 6");
        expect(() -> new DeletionEstimator(t, DirectionBank.cached(t.directionSeed(), 7, t.directionIndices())),
                "does not hold");
        expect(() -> new DeletionEstimator(t, DirectionBank.cached(t.directionSeed() + 1, 6, t.directionIndices())),
                "does not hold");
        expect(() -> DirectionBank.onTheFly(1, 0, new int[] {0}), "got 0");
        expect(() -> DirectionBank.onTheFly(1, 3, new int[] {0, -2}), "-2");
        expect(() -> DeletionEstimator.defaultGroups(0), "got 0");
        expect(() -> DeletionEstimator.logBinomial(5, -1), "-1");
    }

    @Test
    void exactDirectionAndStability() {
        expect(() -> new ExactDirectionCurve(new double[] {1}), "k = 0");
        expect(() -> new ExactDirectionCurve(new double[] {1, Double.NaN}), "c_1", "NaN");
        ExactDirectionCurve c = new ExactDirectionCurve(new double[] {1, 2});
        expect(() -> c.value(Double.NaN, 1), "NaN");
        expect(() -> c.value(0.5, 2), "got 2");
        expect(() -> c.values(new double[] {0, Double.POSITIVE_INFINITY}), "t[1]", "Infinity");
        expect(() -> StabilityProfile.of(3, 0, new double[2]), "degree", "0");
        expect(() -> StabilityProfile.of(3, 2, new double[6]), "length 6");
        expect(() -> StabilityProfile.of(3, 1, new double[] {1, Double.NaN}), "flat index 1", "NaN");
        StabilityProfile p = StabilityProfile.of(3, 1, new double[] {1, 0});
        expect(() -> p.meanLog2(2), "got 2");
        expect(() -> p.log2Term(1, 1), "got 1");
    }
}
