package org.jetsketch.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.apache.commons.math3.analysis.polynomials.PolynomialFunction;
import org.junit.jupiter.api.Test;

class CurveTest {

    private static final double[] TS = {0, 0.1, 0.25, 0.5, 0.9, 1.0, 1.7, -0.6};

    private static void close(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-12 * Math.max(1, Math.abs(expected)), what);
    }

    @Test
    void deletionCurveEqualsTheEstimatorOnScaledIndicators() {
        int n = 25, k = 4;
        CoefficientTable t = RandomTables.table(n, 80, k, 2.5, 5);
        DeletionEstimator e = DeletionEstimator.cached(t);
        int[] d = {3, 17, 4, 22, 0};
        Curve c = e.curveDeletion(d, TS);
        assertEquals(TS.length, c.size());
        assertArrayEquals(TS, c.t(), 0.0);
        for (int q = 0; q < TS.length; q++) {
            double[] w = new double[n];
            for (int i : d) w[i] = TS[q];
            Prediction direct = e.predictWeights(w);
            for (int deg = 0; deg <= k; deg++) {
                String at = "t=" + TS[q] + " d=" + deg;
                close(direct.mean(deg), c.at(q).mean(deg), "mean " + at);
                close(direct.standardError(deg), c.at(q).standardError(deg), "SE " + at);
                close(direct.medianOfMeans(deg), c.at(q).medianOfMeans(deg), "MoM " + at);
            }
            assertEquals(c.at(q).mean(2), c.means(2)[q], 0.0);
            assertEquals(c.at(q).standardError(2), c.standardErrors(2)[q], 0.0);
        }
        // t = 1 is the deletion itself, bit for bit; t = 0 is f(0) exactly
        Prediction at1 = e.predictDeletion(d);
        for (int deg = 0; deg <= k; deg++) {
            assertEquals(at1.mean(deg), c.at(5).mean(deg), 0.0);
            assertEquals(2.5, c.at(0).mean(deg), 0.0);
            assertEquals(0.0, c.at(0).standardError(deg), 0.0);
        }
    }

    @Test
    void weightCurveEqualsTheEstimatorOnScaledWeights() {
        int n = 12, k = 3;
        CoefficientTable t = RandomTables.table(n, 40, k, -0.3, 6);
        DeletionEstimator e = DeletionEstimator.onTheFly(t);
        Random r = new Random(8);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) w[i] = r.nextGaussian();
        Curve c = e.curveWeights(w, TS, 4);
        for (int q = 0; q < TS.length; q++) {
            double[] tw = new double[n];
            for (int i = 0; i < n; i++) tw[i] = TS[q] * w[i];
            Prediction direct = e.predictWeights(tw, 4);
            assertEquals(4, c.at(q).groups());
            for (int deg = 0; deg <= k; deg++) {
                close(direct.mean(deg), c.at(q).mean(deg), "mean t=" + TS[q] + " d=" + deg);
                close(direct.standardError(deg), c.at(q).standardError(deg), "SE t=" + TS[q] + " d=" + deg);
            }
        }
    }

    @Test
    void exactDirectionCurveIsThePartialSumOfTheTaylorPolynomial() {
        double[] coefficients = {0.8, -1.3, 0.45, 2.0, -0.7, 0.11, 0.05};
        ExactDirectionCurve curve = new ExactDirectionCurve(coefficients);
        assertEquals(6, curve.degree());
        double[] grid = new double[11];
        for (int q = 0; q <= 10; q++) grid[q] = q / 10.0;
        grid = Arrays.copyOf(grid, 13);
        grid[11] = -2.5;
        grid[12] = 3.0;
        double[][] all = curve.values(grid);
        for (int q = 0; q < grid.length; q++) {
            for (int d = 0; d <= 6; d++) {
                double expected = new PolynomialFunction(Arrays.copyOf(coefficients, d + 1)).value(grid[q]);
                String at = "t=" + grid[q] + " d=" + d;
                assertEquals(expected, curve.value(grid[q], d), 1e-13 * Math.max(1, Math.abs(expected)), at);
                assertEquals(expected, all[q][d], 1e-13 * Math.max(1, Math.abs(expected)), at);
            }
        }
        assertEquals(0.8, curve.value(0.0, 6), 0.0);
        assertEquals(-1.3, curve.coefficient(1), 0.0);
    }
}
