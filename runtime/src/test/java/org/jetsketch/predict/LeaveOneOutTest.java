package org.jetsketch.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeaveOneOutTest {

    private static void close(double expected, double actual, String what) {
        if (Double.isNaN(expected)) {
            assertTrue(Double.isNaN(actual), what);
            return;
        }
        assertEquals(expected, actual, 1e-12 * Math.max(1, Math.abs(expected)), what);
    }

    @Test
    void leaveOneOutEqualsTheSingleSetEstimatorForEveryExample() {
        int n = 40, m = 64, k = 3;
        CoefficientTable t = RandomTables.table(n, m, k, 0.7, 3);
        for (DeletionEstimator e : new DeletionEstimator[] {DeletionEstimator.cached(t), DeletionEstimator.onTheFly(t)}) {
            for (int groups : new int[] {1, 5, 8, e.defaultGroups(), m}) {
                for (int d = 1; d <= k; d++) {
                    LeaveOneOut loo = e.leaveOneOut(d, groups);
                    assertEquals(n, loo.examples());
                    assertEquals(d, loo.degree());
                    assertEquals(groups, loo.groups());
                    for (int i = 0; i < n; i++) {
                        Prediction p = e.predictDeletion(new int[] {i}, groups);
                        String at = "i=" + i + " d=" + d + " G=" + groups;
                        close(p.mean(d), loo.prediction(i), "mean " + at);
                        close(p.mean(d) - p.f0(), loo.change(i), "change " + at);
                        close(p.standardError(d), loo.standardError(i), "SE " + at);
                        close(p.medianOfMeans(d), loo.medianOfMeans(i), "MoM " + at);
                    }
                }
            }
        }
    }

    @Test
    void leaveOneOutWithDefaultGroupsAndOneSketch() {
        CoefficientTable t = RandomTables.table(5, 1, 2, -1.5, 9);
        DeletionEstimator e = DeletionEstimator.cached(t);
        LeaveOneOut loo = e.leaveOneOut(2);
        for (int i = 0; i < 5; i++) {
            close(e.predictDeletion(new int[] {i}).mean(2), loo.prediction(i), "mean " + i);
            assertTrue(Double.isNaN(loo.standardError(i)), "one sketch: no standard error");
        }
    }

    @Test
    void topInfluentialSortsByAbsoluteChangeThenIndex() {
        double f0 = 1.0;
        double[] pred = {1.5, 0.5, 1.2, 0.8, 1.0, 3.0};
        double[] se = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
        LeaveOneOut loo = new LeaveOneOut(f0, 2, 10, 3, pred, se, pred);
        List<LeaveOneOut.Influence> top = loo.topInfluential(4);
        assertEquals(List.of(new LeaveOneOut.Influence(5, 2.0, 0.6), new LeaveOneOut.Influence(0, 0.5, 0.1),
                new LeaveOneOut.Influence(1, -0.5, 0.2), new LeaveOneOut.Influence(2, 1.2 - 1.0, 0.3)), top);
        assertEquals(6, loo.topInfluential(100).size());
        assertEquals(4, loo.topInfluential(100).get(5).index());
        assertEquals(0, loo.topInfluential(0).size());
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> loo.topInfluential(-2));
        assertTrue(ex.getMessage().contains("-2"), ex.getMessage());
    }

    @Test
    void topInfluentialFromTheEstimatorIsConsistent() {
        CoefficientTable t = RandomTables.table(30, 50, 3, 0.0, 4);
        LeaveOneOut loo = DeletionEstimator.cached(t).leaveOneOut(3);
        List<LeaveOneOut.Influence> top = loo.topInfluential(30);
        for (int q = 0; q < top.size(); q++) {
            LeaveOneOut.Influence x = top.get(q);
            assertEquals(loo.change(x.index()), x.change(), 0.0);
            assertEquals(loo.standardError(x.index()), x.standardError(), 0.0);
            if (q > 0) assertTrue(Math.abs(top.get(q - 1).change()) >= Math.abs(x.change()));
        }
        double[] changes = loo.changes();
        for (int i = 0; i < 30; i++) assertEquals(loo.prediction(i) - loo.f0(), changes[i], 0.0);
    }
}
