package org.jetsketch.circuits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.predict.CoefficientTable;
import org.jetsketch.predict.ExactDirection;
import org.jetsketch.predict.ExactDirectionCurve;
import org.jetsketch.predict.GroupPrediction;
import org.jetsketch.predict.GroupedEstimator;
import org.jetsketch.predict.SketchTables;
import org.jetsketch.sketch.Groups;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.sketch.SketchStoreException;
import org.jetsketch.sketch.Sketcher;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Grouped sketches, least-squares recovery and batched exact curves on generated circuits (scheme §9–§11). */
class GroupedSketchingTest {
    @TempDir Path dir;

    /**
     * One full-batch step of least squares makes f a polynomial of degree 2 in the weights. With 6
     * examples in G = 3 groups, N_2 = C(4, 2) = 6 unknowns: m = 4 grouped sketches (8 real
     * equations) recover it, and every union of groups is predicted to 1e-9 of retraining.
     */
    @Test
    void leastSquaresFromGroupedSketchesMatchesRetrainingOnAPolynomialCircuit() throws Exception {
        int n = 6;
        List<Sample> data = SketchingTest.regressionData(n, 3, 1);
        LeastSquares_Circuit circuit = new LeastSquares_Circuit(new LeastSquares(new double[] {0.2, -0.1, 0.4}));
        Schedule schedule = Schedule.fullBatch(n, 1);
        BoundMeasurement m = circuit.squaredPrediction(new double[] {1.0, 0.5, -2.0});
        Groups groups = Groups.of(new int[] {0, 1, 2, 0, 2, 1}, List.of("p", "q", "r"));
        SketchStore store = new Sketcher<>(circuit, Dataset.of(data), schedule).degree(2).directions(4).seed(11)
                .groups(groups).run(dir);
        CoefficientTable table = SketchTables.table(store, m, 2, 4, groups);
        assertEquals(3, table.examples(), "the directions live in C^G");
        // the grouping round-trips through the store's checksummed header, and another one is refused
        SketchStore reopened = SketchStore.open(dir);
        assertEquals(groups, reopened.header().groups());
        assertArrayEquals(groups.digest(), reopened.header().groups().digest());
        assertArrayEquals(table.coefficients(), SketchTables.table(reopened, m, 1, 4).coefficients(), 0.0);
        Groups other = Groups.of(new int[] {0, 1, 2, 0, 2, 2}, List.of("p", "q", "r"));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> SketchTables.table(reopened, m, 1, 4, other));
        assertTrue(refused.getMessage().contains("with a grouping of G = 3 groups"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SketchTables.table(reopened, m, 1, 4, null));
        SketchStoreException resume = assertThrows(SketchStoreException.class,
                () -> new Sketcher<>(circuit, Dataset.of(data), schedule).degree(2).directions(4).seed(11)
                        .groups(other).run(dir));
        assertTrue(resume.getMessage().contains("groups"), resume.getMessage());
        GroupedEstimator estimator = GroupedEstimator.of(table, groups);
        Trainer<Sample> trainer = new Trainer<>(circuit, Dataset.of(data), schedule);
        for (int[] s : new int[][] {{0}, {2}, {0, 1}, {0, 1, 2}}) {
            int[] d = groups.examplesOf(s);
            double retrained = trainer.measure(m, trainer.train(ExactDirection.indicator(n, d)));
            GroupPrediction p = estimator.predictGroups(s);
            assertEquals(2, p.leastSquaresDegree());
            assertEquals(GroupPrediction.Estimator.LEAST_SQUARES, p.estimator(2));
            assertEquals(retrained, p.mean(2), 1e-9 * Math.max(1, Math.abs(retrained)), java.util.Arrays.toString(s));
            assertTrue(p.standardError(2) < 1e-8, "SE " + p.standardError(2));
            assertEquals(p.mean(2), estimator.predictDeletion(d).mean(2), 0.0);
        }
    }

    /**
     * The unbiased grouped estimator on the same polynomial circuit: its degree-2 mean lands within
     * 4 standard errors of retraining for every union of groups (and least squares on it exactly).
     */
    @Test
    void theUnbiasedGroupedEstimatorIsUnbiasedOnAPolynomialCircuit() throws Exception {
        int n = 6;
        List<Sample> data = SketchingTest.regressionData(n, 3, 2);
        LeastSquares_Circuit circuit = new LeastSquares_Circuit(new LeastSquares(new double[] {0.1, 0.3, -0.2}));
        Schedule schedule = Schedule.fullBatch(n, 1);
        BoundMeasurement m = circuit.squaredPrediction(new double[] {0.5, -1.0, 1.5});
        Groups groups = Groups.of(new int[] {1, 0, 2, 2, 0, 1}, List.of("u", "v", "w"));
        SketchStore store = new Sketcher<>(circuit, Dataset.of(data), schedule).degree(2).directions(800).seed(5)
                .groups(groups).directionsPerPass(8).run(dir);
        GroupedEstimator estimator = GroupedEstimator.of(SketchTables.table(store, m, 2, 800, groups), groups);
        Trainer<Sample> trainer = new Trainer<>(circuit, Dataset.of(data), schedule);
        for (int[] s : new int[][] {{0}, {1}, {0, 2}, {0, 1, 2}}) {
            double retrained = trainer.measure(m, trainer.train(ExactDirection.indicator(n, groups.examplesOf(s))));
            GroupPrediction p = estimator.predictGroups(s);
            SketchingTest.assertWithin(p.unbiased().mean(2), p.unbiased().standardError(2), retrained, 4,
                    "unbiased, groups " + java.util.Arrays.toString(s));
            assertEquals(retrained, p.mean(2), 1e-9 * Math.max(1, Math.abs(retrained)));
            assertTrue(Math.abs(retrained - p.f0()) > 5 * p.unbiased().standardError(2), "informative set");
        }
    }

    /** With every example in its own group the grouped sketch is today's sketch, bit for bit. */
    @Test
    void singletonGroupsAreThePerExampleScheme() throws Exception {
        List<Sample> data = MlpCircuitTest.samples(11);
        Mlp_Circuit circuit = new Mlp_Circuit(new Mlp(3, 4, 3, 7));
        Schedule schedule = Schedule.miniBatches(data.size(), 4, 2, 5);
        SketchStore plain = new Sketcher<>(circuit, Dataset.of(data), schedule).degree(2).directions(3).seed(4)
                .run(dir.resolve("plain"));
        SketchStore single = new Sketcher<>(circuit, Dataset.of(data), schedule).degree(2).directions(3).seed(4)
                .groups(Groups.singletons(data.size())).run(dir.resolve("single"));
        double[] x = new double[plain.header().coefficientLength()];
        double[] y = new double[x.length];
        for (int j = 0; j < 3; j++) {
            plain.read(j, x);
            single.read(j, y);
            assertArrayEquals(x, y, 0.0, "sketch " + j);
        }
        assertEquals(plain.header(), single.header(), "singletons are recorded as per-example");
    }

    /** Grouped sketches do not depend on the thread count or on how many directions share a pass. */
    @Test
    void groupedSketchesAreDeterministicAcrossThreads() throws Exception {
        List<Sample> data = MlpCircuitTest.samples(11);
        Mlp_Circuit circuit = new Mlp_Circuit(new Mlp(3, 4, 3, 7));
        Schedule schedule = Schedule.miniBatches(data.size(), 4, 2, 5);
        Groups groups = Groups.byKey(data.size(), i -> "g" + (i % 3));
        SketchStore one = new Sketcher<>(circuit, Dataset.of(data), schedule).degree(2).directions(4).seed(4)
                .groups(groups).threads(1).run(dir.resolve("one"));
        SketchStore two = new Sketcher<>(circuit, Dataset.of(data), schedule).degree(2).directions(4).seed(4)
                .groups(groups).threads(3).directionsPerPass(2).run(dir.resolve("two"));
        double[] x = new double[one.header().coefficientLength()];
        double[] y = new double[x.length];
        for (int j = 0; j < 4; j++) {
            one.read(j, x);
            two.read(j, y);
            assertArrayEquals(x, y, 1e-13, "sketch " + j);
        }
        BoundMeasurement m = circuit.logit(new double[] {0.3, -1.2, 0.8}, 1);
        assertArrayEquals(SketchTables.table(one, m, 1, 4, groups).coefficients(),
                SketchTables.table(two, m, 2, 4, groups).coefficients(), 1e-13);
    }

    /** B exact directions in one pass give, direction by direction, the curves of B separate passes. */
    @Test
    void batchedExactCurvesEqualSeparatePasses() {
        List<Sample> data = MlpCircuitTest.samples(11);
        int n = data.size();
        Mlp_Circuit circuit = new Mlp_Circuit(new Mlp(3, 4, 3, 7));
        Schedule schedule = Schedule.miniBatches(n, 4, 3, 5);
        BoundMeasurement m = circuit.probability(new double[] {0.3, -1.2, 0.8}, 1);
        int[][] sets = {{2}, {0, 5}, {1, 3, 6}, {4, 7}, {6}};
        double[][] v = new double[sets.length][];
        for (int b = 0; b < sets.length; b++) v[b] = ExactDirection.indicator(n, sets[b]);
        // five directions in passes of at most three: one pass of 3 and one of 2
        List<ExactDirectionCurve> batched = ExactDirection.runBatch(circuit, Dataset.of(data), schedule,
                circuit.initialParameters(), v, 4, 3, m);
        assertEquals(sets.length, batched.size());
        for (int b = 0; b < sets.length; b++) {
            ExactDirectionCurve alone = ExactDirection.run(circuit, Dataset.of(data), schedule,
                    circuit.initialParameters(), v[b], 4, m);
            for (int r = 0; r <= 4; r++) {
                assertEquals(alone.coefficient(r), batched.get(b).coefficient(r),
                        1e-13 * Math.max(1e-3, Math.abs(alone.coefficient(r))), "set " + b + ", coefficient " + r);
            }
            assertTrue(Math.abs(alone.coefficient(1)) > 1e-6, "informative direction");
        }
    }
}
