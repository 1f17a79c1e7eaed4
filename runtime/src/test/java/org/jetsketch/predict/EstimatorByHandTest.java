package org.jetsketch.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jetsketch.sketch.Directions;
import org.junit.jupiter.api.Test;

/**
 * n = 1: ψ_j is a unit complex number, C(r, r) = 1, and with c_{j,1} = v_j·ψ_j and D = {0} the
 * term is X_{j,1} = Re(v_j ψ_j conj ψ_j) = v_j. So mean, standard error and median of means can
 * be computed by hand from v.
 */
class EstimatorByHandTest {

    static final double[] V = {1, 2, 9, 4, 100};
    static final double F0 = 0.5;

    static DeletionEstimator estimator() {
        CoefficientTable.Builder b = CoefficientTable.builder(1, 9L, 2);
        for (int j = 0; j < V.length; j++) {
            double[] psi = Directions.direction(9L, j, 1);
            // c_1 = v·ψ, c_2 = i·v (so X_2 = Re(i·v·conj(ψ)²))
            b.add(j, F0, new double[] {V[j] * psi[0], V[j] * psi[1], 0, V[j]});
        }
        return DeletionEstimator.cached(b.build());
    }

    @Test
    void meanStandardErrorAndMedianOfMeansByHand() {
        DeletionEstimator e = estimator();
        Prediction p = e.predictDeletion(new int[] {0}, 2);
        double mean = (1 + 2 + 9 + 4 + 100) / 5.0; // 23.2
        double ss = 0;
        for (double v : V) ss += (v - mean) * (v - mean);
        double se = Math.sqrt(ss / 4) / Math.sqrt(5);
        assertEquals(F0 + mean, p.mean(1), 1e-12);
        assertEquals(se, p.standardError(1), 1e-12);
        // G = 2: groups {1,2,9} and {4,100}: means 4 and 52, median (even G) = 28
        assertEquals(F0 + 28, p.medianOfMeans(1), 1e-12);
        assertEquals(2, p.groups());
        // G = 3: groups {1,2} {9,4} {100}: means 1.5, 6.5, 100 → 6.5
        assertEquals(F0 + 6.5, e.predictDeletion(new int[] {0}, 3).medianOfMeans(1), 1e-12);
        // G = 5: the median of the values, 4
        assertEquals(F0 + 4, e.predictDeletion(new int[] {0}, 5).medianOfMeans(1), 1e-12);
        // G = 1: the mean
        assertEquals(F0 + mean, e.predictDeletion(new int[] {0}, 1).medianOfMeans(1), 1e-12);
        // default G = round(sqrt(5)) = 2
        assertEquals(2, e.defaultGroups());
        assertEquals(F0 + 28, e.predictDeletion(new int[] {0}).medianOfMeans(1), 1e-12);
        // degree 2 by hand: Re(i·v·conj(ψ)²), C(2,2) = 1
        double sum2 = 0;
        for (int j = 0; j < V.length; j++) {
            double[] psi = Directions.direction(9L, j, 1);
            double re = psi[0], im = -psi[1];
            double sqRe = re * re - im * im, sqIm = 2 * re * im;
            sum2 += V[j] + (-V[j] * sqIm); // X_1 + Re(i v (sqRe + i sqIm)) = v − v·sqIm
        }
        assertEquals(F0 + sum2 / 5, p.mean(2), 1e-12);
        assertEquals(F0, p.mean(0), 0.0);
        assertEquals(0.0, p.standardError(0), 0.0);
        assertEquals(p.mean(2) - F0, p.change(2), 0.0);
    }

    @Test
    void defaultGroupsRule() {
        assertEquals(1, DeletionEstimator.defaultGroups(1));
        assertEquals(1, DeletionEstimator.defaultGroups(2));
        assertEquals(2, DeletionEstimator.defaultGroups(3));
        assertEquals(3, DeletionEstimator.defaultGroups(12));
        assertEquals(22, DeletionEstimator.defaultGroups(500));
        assertEquals(141, DeletionEstimator.defaultGroups(20000));
    }
}
