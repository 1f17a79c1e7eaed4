package org.jetsketch.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.jetsketch.sketch.Directions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The estimator against a synthetic "circuit" whose Taylor tensors are known in closed form:
 * f(w) = a + bᵀw + wᵀAw + Σ_{ijk} T_{ijk} w_i w_j w_k with A and T symmetric, so F_1 = b,
 * F_2 = A, F_3 = T and the jet of sketch j is exactly c_{j,r} = ⟨F_r, ψ_j^{⊗r}⟩. The oracle is
 * the polynomial itself, evaluated at w = 1_D.
 */
class PolynomialCircuitTest {

    static final int N = 6;
    static final int M = 20000;
    static final long SEED = 77L;
    static double a;
    static double[] b;
    static double[][] A;
    static double[][][] T;
    static CoefficientTable table;
    static DeletionEstimator estimator;

    @BeforeAll
    static void buildTable() {
        Random rnd = new Random(31);
        a = 0.75;
        b = new double[N];
        for (int i = 0; i < N; i++) b[i] = rnd.nextGaussian();
        A = new double[N][N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j <= i; j++) {
                A[i][j] = A[j][i] = 0.4 * rnd.nextGaussian();
            }
        }
        double[][][] raw = new double[N][N][N];
        for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) for (int k = 0; k < N; k++) raw[i][j][k] = 0.2 * rnd.nextGaussian();
        T = new double[N][N][N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                for (int k = 0; k < N; k++) {
                    T[i][j][k] = (raw[i][j][k] + raw[i][k][j] + raw[j][i][k] + raw[j][k][i] + raw[k][i][j]
                            + raw[k][j][i]) / 6;
                }
            }
        }
        CoefficientTable.Builder builder = CoefficientTable.builder(N, SEED, 3);
        for (int s = 0; s < M; s++) {
            int index = 3 * s + 5; // direction indices need not be 0..m-1
            double[] psi = Directions.direction(SEED, index, N);
            builder.add(index, a, jet(psi));
        }
        table = builder.build();
        estimator = DeletionEstimator.cached(table);
    }

    /** c_1..c_3 of f(zψ): contractions of b, A, T with ψ (no conjugation). */
    static double[] jet(double[] psi) {
        double c1r = 0, c1i = 0, c2r = 0, c2i = 0, c3r = 0, c3i = 0;
        for (int i = 0; i < N; i++) {
            double pir = psi[2 * i], pii = psi[2 * i + 1];
            c1r += b[i] * pir;
            c1i += b[i] * pii;
            for (int j = 0; j < N; j++) {
                double qr = pir * psi[2 * j] - pii * psi[2 * j + 1];
                double qi = pir * psi[2 * j + 1] + pii * psi[2 * j];
                c2r += A[i][j] * qr;
                c2i += A[i][j] * qi;
                for (int k = 0; k < N; k++) {
                    double tr = qr * psi[2 * k] - qi * psi[2 * k + 1];
                    double ti = qr * psi[2 * k + 1] + qi * psi[2 * k];
                    c3r += T[i][j][k] * tr;
                    c3i += T[i][j][k] * ti;
                }
            }
        }
        return new double[] {c1r, c1i, c2r, c2i, c3r, c3i};
    }

    /** Σ_{r≤d} ⟨F_r, w^{⊗r}⟩ evaluated directly. */
    static double f(double[] w, int degree) {
        double v = a;
        for (int i = 0; i < N; i++) v += b[i] * w[i];
        if (degree >= 2) for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) v += A[i][j] * w[i] * w[j];
        if (degree >= 3) {
            for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) for (int k = 0; k < N; k++) v += T[i][j][k] * w[i] * w[j] * w[k];
        }
        return v;
    }

    static double[] indicator(int[] d) {
        double[] w = new double[N];
        for (int i : d) w[i] = 1;
        return w;
    }

    static final int[][] SETS = {{0}, {3}, {1, 4}, {0, 2, 5}, {5, 1, 3, 2}, {0, 1, 2, 3, 4, 5}};

    @Test
    void meanEstimateMatchesThePolynomialWithinFourStandardErrorsAtEveryDegree() {
        for (int[] d : SETS) {
            Prediction p = estimator.predictDeletion(d);
            double[] w = indicator(d);
            for (int deg = 1; deg <= 3; deg++) {
                double truth = f(w, deg);
                double se = p.standardError(deg);
                assertTrue(se > 0, "SE " + se);
                assertEquals(truth, p.mean(deg), 4 * se, "D=" + java.util.Arrays.toString(d) + " degree " + deg);
                // median of means with round(sqrt(m)) = 141 groups: close as well
                assertEquals(truth, p.medianOfMeans(deg), 6 * se, "MoM D=" + java.util.Arrays.toString(d) + " degree " + deg);
            }
            assertEquals(p.mean(1), estimator.predictWeights(w).mean(1), 0.0, "1_D as weights is the same sum");
            if (d.length >= 2) {
                // informative: the degree-3 estimate resolves the higher-order terms
                assertTrue(Math.abs(f(w, 3) - f(w, 1)) > 8 * p.standardError(3), "uninformative test set");
            }
        }
    }

    @Test
    void weightVectorsAreEstimatedToo() {
        double[] w = {0.3, -0.2, 0.0, 1.1, 0.5, -0.7};
        Prediction p = estimator.predictWeights(w);
        for (int deg = 1; deg <= 3; deg++) assertEquals(f(w, deg), p.mean(deg), 4 * p.standardError(deg));
    }

    @Test
    void emptySetGivesFZeroExactly() {
        Prediction p = estimator.predictDeletion(new int[0]);
        for (int deg = 0; deg <= 3; deg++) {
            assertEquals(a, p.mean(deg), 0.0);
            assertEquals(0.0, p.standardError(deg), 0.0);
            assertEquals(a, p.medianOfMeans(deg), 0.0);
        }
        Prediction zero = estimator.predictWeights(new double[N]);
        assertEquals(a, zero.mean(3), 0.0);
        assertEquals(0.0, zero.standardError(3), 0.0);
    }

    @Test
    void standardErrorShrinksLikeOneOverSqrtM() {
        DeletionEstimator quarter = DeletionEstimator.cached(table.head(M / 4));
        for (int[] d : SETS) {
            Prediction full = estimator.predictDeletion(d);
            Prediction part = quarter.predictDeletion(d);
            for (int deg = 1; deg <= 3; deg++) {
                double ratio = part.standardError(deg) / full.standardError(deg);
                assertTrue(ratio > 1.7 && ratio < 2.3, "SE ratio " + ratio + " for m/4 vs m, degree " + deg);
            }
        }
    }

    @Test
    void onTheFlyDirectionsGiveIdenticalNumbers() {
        DeletionEstimator fly = DeletionEstimator.onTheFly(table.head(500));
        DeletionEstimator cached = DeletionEstimator.cached(table.head(500));
        for (int[] d : SETS) {
            Prediction x = fly.predictDeletion(d), y = cached.predictDeletion(d);
            for (int deg = 0; deg <= 3; deg++) {
                assertEquals(y.mean(deg), x.mean(deg), 0.0);
                assertEquals(y.standardError(deg), x.standardError(deg), 0.0);
                assertEquals(y.medianOfMeans(deg), x.medianOfMeans(deg), 0.0);
            }
        }
    }
}
