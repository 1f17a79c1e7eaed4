package org.jetsketch.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.jetsketch.sketch.Directions;
import org.jetsketch.sketch.Groups;
import org.junit.jupiter.api.Test;

/**
 * The grouped estimators against a group polynomial known in closed form (scheme §9–§10):
 * h(v) = a + bᵀv + vᵀAv + Σ T_{pqs} v_p v_q v_s over G = 4 groups, so sketch j's jet is exactly
 * c_{j,r} = h_r(ψ_j). The oracle is the polynomial evaluated at v = 1_S.
 */
class GroupedEstimatorTest {

    static final int G = 4;
    static final long SEED = 5L;
    /** Examples 0..9 in 4 groups of sizes 3, 2, 4, 1. */
    static final Groups GROUPS = Groups.of(new int[] {0, 0, 1, 2, 2, 0, 3, 2, 1, 2}, List.of("a", "b", "c", "d"));

    final double a = -0.4;
    final double[] b = new double[G];
    final double[][] q = new double[G][G];
    final double[][][] t = new double[G][G][G];

    GroupedEstimatorTest() {
        Random rnd = new Random(8);
        for (int i = 0; i < G; i++) b[i] = rnd.nextGaussian();
        for (int i = 0; i < G; i++) for (int j = 0; j <= i; j++) q[i][j] = q[j][i] = 0.5 * rnd.nextGaussian();
        double[][][] raw = new double[G][G][G];
        for (double[][] x : raw) for (double[] y : x) for (int s = 0; s < G; s++) y[s] = 0.3 * rnd.nextGaussian();
        for (int i = 0; i < G; i++) {
            for (int j = 0; j < G; j++) {
                for (int s = 0; s < G; s++) {
                    t[i][j][s] = (raw[i][j][s] + raw[i][s][j] + raw[j][i][s] + raw[j][s][i] + raw[s][i][j] + raw[s][j][i]) / 6;
                }
            }
        }
    }

    /** c_1..c_3 of h(zψ). */
    double[] jet(double[] psi) {
        double[] c = new double[6];
        for (int i = 0; i < G; i++) {
            double pr = psi[2 * i], pi = psi[2 * i + 1];
            c[0] += b[i] * pr;
            c[1] += b[i] * pi;
            for (int j = 0; j < G; j++) {
                double qr = pr * psi[2 * j] - pi * psi[2 * j + 1];
                double qi = pr * psi[2 * j + 1] + pi * psi[2 * j];
                c[2] += q[i][j] * qr;
                c[3] += q[i][j] * qi;
                for (int s = 0; s < G; s++) {
                    c[4] += t[i][j][s] * (qr * psi[2 * s] - qi * psi[2 * s + 1]);
                    c[5] += t[i][j][s] * (qr * psi[2 * s + 1] + qi * psi[2 * s]);
                }
            }
        }
        return c;
    }

    double h(double[] v, int degree) {
        double s = a;
        for (int i = 0; i < G; i++) s += b[i] * v[i];
        if (degree >= 2) for (int i = 0; i < G; i++) for (int j = 0; j < G; j++) s += q[i][j] * v[i] * v[j];
        if (degree >= 3) {
            for (int i = 0; i < G; i++) for (int j = 0; j < G; j++) for (int k = 0; k < G; k++) s += t[i][j][k] * v[i] * v[j] * v[k];
        }
        return s;
    }

    CoefficientTable table(int m) {
        CoefficientTable.Builder builder = CoefficientTable.builder(G, SEED, 3);
        for (int j = 0; j < m; j++) builder.add(j, a, jet(Directions.direction(SEED, j, G)));
        return builder.build();
    }

    static double[] indicator(int[] s) {
        double[] v = new double[G];
        for (int g : s) v[g] = 1;
        return v;
    }

    static final int[][] SETS = {{0}, {3}, {1, 2}, {0, 2, 3}, {0, 1, 2, 3}};

    @Test
    void leastSquaresIsExactOnceTwoMReachesTheUnknowns() {
        // N_1 = 4, N_2 = 10, N_3 = 20: m = 10 sketches give 20 real equations per degree.
        GroupedEstimator est = GroupedEstimator.of(table(10), GROUPS);
        for (int[] s : SETS) {
            GroupPrediction p = est.predictGroups(s);
            assertEquals(3, p.leastSquaresDegree());
            for (int d = 1; d <= 3; d++) {
                double truth = h(indicator(s), d);
                assertEquals(truth, p.mean(d), 1e-9 * Math.max(1, Math.abs(truth)), Arrays.toString(s) + " degree " + d);
                assertEquals(GroupPrediction.Estimator.LEAST_SQUARES, p.estimator(d));
                assertTrue(p.conditionNumber(d) >= 1 && p.conditionNumber(d) < 1e6, "condition " + p.conditionNumber(d));
            }
            // 2m = N_3 exactly: no residual degree of freedom at degree 3
            assertTrue(Double.isNaN(p.standardError(3)));
        }
        // with spare equations the residual standard error is rounding-sized and the answer exact
        GroupedEstimator over = GroupedEstimator.of(table(14), GROUPS);
        GroupPrediction p = over.predictGroups(new int[] {1, 3});
        double truth = h(indicator(new int[] {1, 3}), 3);
        assertEquals(truth, p.mean(3), 1e-9 * Math.max(1, Math.abs(truth)));
        assertTrue(p.standardError(3) >= 0 && p.standardError(3) < 1e-9, "SE " + p.standardError(3));
        // and the recovered coefficients are the polynomial's: a_(0) = b_0, a_(0,1) = 2·A_01, a_(1,1,2) = 3·T_112
        GroupLeastSquares.Solution sol = over.leastSquares();
        assertEquals(b[0], sol.coefficients(1)[0], 1e-10);
        assertEquals(2 * q[0][1], sol.coefficients(2)[1], 1e-10);
        int at = Arrays.asList(monomialStrings(3)).indexOf("1,1,2");
        assertEquals(3 * t[1][1][2], sol.coefficients(3)[at], 1e-10);
    }

    static String[] monomialStrings(int r) {
        int count = (int) GroupLeastSquares.unknowns(G, r);
        int[] mono = GroupLeastSquares.monomials(G, r, count);
        String[] out = new String[count];
        for (int c = 0; c < count; c++) {
            StringBuilder sb = new StringBuilder();
            for (int p = 0; p < r; p++) sb.append(p == 0 ? "" : ",").append(mono[c * r + p]);
            out[c] = sb.toString();
        }
        return out;
    }

    @Test
    void belowTheThresholdTheUnbiasedEstimatorAnswers() {
        // m = 1: 2 equations, fewer than N_1 = 4: nothing is solved, the answer is the unbiased one bit for bit
        CoefficientTable one = table(1);
        GroupPrediction p = GroupedEstimator.of(one, GROUPS).predictGroups(new int[] {0, 2});
        Prediction direct = DeletionEstimator.cached(one).predictDeletion(new int[] {0, 2});
        assertEquals(0, p.leastSquaresDegree());
        for (int d = 1; d <= 3; d++) {
            assertEquals(direct.mean(d), p.mean(d), 0.0);
            assertEquals(GroupPrediction.Estimator.UNBIASED, p.estimator(d));
            assertTrue(Double.isNaN(p.conditionNumber(d)));
        }
        // m = 6: degrees 1 (N = 4) and 2 (N = 10 <= 12) solved, degree 3 (N = 20) not: the degree-3 term
        // is the unbiased estimator's degree-3 term added to the exact degree-2 answer
        CoefficientTable six = table(6);
        GroupedEstimator est = GroupedEstimator.of(six, GROUPS);
        GroupPrediction mixed = est.predictGroups(new int[] {1, 2});
        assertEquals(2, mixed.leastSquaresDegree());
        assertEquals(GroupPrediction.Estimator.LEAST_SQUARES_THEN_UNBIASED, mixed.estimator(3));
        double[] v = indicator(new int[] {1, 2});
        assertEquals(h(v, 2), mixed.mean(2), 1e-9 * Math.abs(h(v, 2)));
        Prediction u = mixed.unbiased();
        assertEquals(u.mean(3) - u.mean(2), mixed.mean(3) - mixed.mean(2), 1e-12 * Math.max(1, Math.abs(u.mean(3))));
        assertNotNull(GroupLeastSquares.of(DirectionBank.cached(six), 3).reason(3));
        assertTrue(GroupLeastSquares.of(DirectionBank.cached(six), 3).reason(3).contains("needs m >= 10"));
    }

    @Test
    void theUnbiasedGroupEstimatorIsUnbiasedWithinFourStandardErrors() {
        GroupedEstimator est = GroupedEstimator.of(table(20000), GROUPS);
        for (int[] s : SETS) {
            Prediction p = est.predictGroups(s).unbiased();
            for (int d = 1; d <= 3; d++) {
                double truth = h(indicator(s), d);
                assertTrue(p.standardError(d) > 0);
                assertEquals(truth, p.mean(d), 4 * p.standardError(d), Arrays.toString(s) + " degree " + d);
            }
        }
    }

    @Test
    void aDeletionSetIsTranslatedToItsGroupsAndACutIsRefused() {
        GroupedEstimator est = GroupedEstimator.of(table(12), GROUPS);
        // examples of groups b (2, 8) and d (6)
        GroupPrediction byExamples = est.predictDeletion(new int[] {8, 6, 2});
        GroupPrediction byGroups = est.predictGroups(new int[] {1, 3});
        assertEquals(byGroups.mean(3), byExamples.mean(3), 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> est.predictDeletion(new int[] {2, 3}));
        assertTrue(e.getMessage().contains("cuts group 'b'"), e.getMessage());
        // group weights: the polynomial at any v
        double[] v = {0.5, -1, 0, 2};
        assertEquals(h(v, 3), est.predictGroupWeights(v).mean(3), 1e-9 * Math.abs(h(v, 3)));
        assertFalse(est.toString().isEmpty());
    }
}
