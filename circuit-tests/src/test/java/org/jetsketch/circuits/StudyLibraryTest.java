package org.jetsketch.circuits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.predict.DeletionEstimator;
import org.jetsketch.predict.ExactDirectionCurve;
import org.jetsketch.predict.Prediction;
import org.jetsketch.predict.SketchTables;
import org.jetsketch.sketch.Groups;
import org.jetsketch.sketch.SketchFormat;
import org.jetsketch.sketch.SketchResources;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.sketch.SketchStoreException;
import org.jetsketch.sketch.Sketcher;
import org.jetsketch.study.CircuitMeasurements;
import org.jetsketch.study.DeletionValidation;
import org.jetsketch.study.LeaveOneOutValidation;
import org.jetsketch.study.Problem;
import org.jetsketch.study.ProblemRuns;
import org.jetsketch.study.StudyException;
import org.jetsketch.study.StudyInput;
import org.jetsketch.study.StudyMeasurement;
import org.jetsketch.study.StudyStores;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;
import org.jetsketch.work.TaskProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The study layer of the runtime (org.jetsketch.study) on a tiny compiled circuit, least squares
 * trained by full-batch gradient descent ({@link LeastSquares}), against an independent oracle:
 * the same algorithm written out in plain Java below ({@link #oracle}). With S steps the trained
 * parameters are a polynomial of degree S in the data weights and the measurement (w·x)² one of
 * degree 2S, so exact-direction curves at degree 2S and least squares in group space at degree 2
 * (S = 1) must reproduce retraining to rounding.
 */
class StudyLibraryTest {
    @TempDir Path dir;

    static final double[] INIT = {0.2, -0.1, 0.4};
    static final double[] AT = {1.0, 0.5, -2.0};
    static final int N = 7;
    static final long SEED = 5L;

    /** The problem: N regression samples, the LeastSquares circuit, S full-batch steps. */
    record LeastSquaresProblem(LeastSquares_Circuit circuit, List<Sample> samples, int steps) implements Problem<Sample> {
        static LeastSquaresProblem of(int steps) {
            return new LeastSquaresProblem(new LeastSquares_Circuit(new LeastSquares(INIT)),
                    SketchingTest.regressionData(N, 3, 11), steps);
        }

        @Override public String study() { return "least-squares-test"; }
        @Override public StudyInput input() { return StudyInput.ofSeed(SEED).withSteps(steps); }
        @Override public Dataset<Sample> data() { return Dataset.of(samples); }
        @Override public String exampleName(int i) { return "sample " + i; }
        @Override public Schedule schedule() { return Schedule.fullBatch(samples.size(), steps); }
        @Override public double[] initialParameters() { return INIT.clone(); }
        @Override public String dataSource() { return "SketchingTest.regressionData(7, 3, 11)"; }
        @Override public String initSource() { return "fixed"; }

        @Override public long dataDigest() {
            double[] flat = new double[samples.size() * 4];
            for (int i = 0; i < samples.size(); i++) {
                System.arraycopy(samples.get(i).x(), 0, flat, 4 * i, 3);
                flat[4 * i + 3] = samples.get(i).label();
            }
            return SketchFormat.digest(flat);
        }

        @Override public String defaultMeasurement() { return "squaredPrediction:1,0.5,-2"; }
        @Override public StudyMeasurement measurement(String spec) { return CircuitMeasurements.parse(circuit, spec); }
        @Override public List<String> measurementForms() { return CircuitMeasurements.forms(circuit); }
        @Override public List<String> groupings() { return List.of("mod3: index mod 3"); }

        @Override public Groups groups(String name) {
            if (!name.equals("mod3")) throw new StudyException("no grouping " + name);
            return Groups.byKey(samples.size(), i -> "g" + (i % 3));
        }
    }

    /**
     * The oracle: θ ← θ − 0.3 · (1/n) Σ_i (1 − w_i) (θ·x_i − y_i) x_i for S steps from INIT, then
     * (θ·AT)². Written from the circuit's source, sharing no code with the runtime.
     */
    static double oracle(List<Sample> data, double[] w, int steps) {
        double[] theta = INIT.clone();
        int n = data.size();
        for (int s = 0; s < steps; s++) {
            double[] g = new double[theta.length];
            for (int i = 0; i < n; i++) {
                Sample e = data.get(i);
                double r = -e.label();
                for (int j = 0; j < theta.length; j++) r += theta[j] * e.x()[j];
                double c = (1 - (w == null ? 0 : w[i])) / n;
                for (int j = 0; j < theta.length; j++) g[j] += c * r * e.x()[j];
            }
            for (int j = 0; j < theta.length; j++) theta[j] -= LeastSquares.LEARNING_RATE * g[j];
        }
        double p = 0;
        for (int j = 0; j < theta.length; j++) p += theta[j] * AT[j];
        return p * p;
    }

    static double[] weights(int n, int[] d, double t) {
        double[] w = new double[n];
        for (int i : d) w[i] = t;
        return w;
    }

    /** Counts batches and finished tasks, to check what the runs report. */
    static final class CountingProgress implements TaskProgress {
        final AtomicInteger advanced = new AtomicInteger();
        final List<String> labels = new ArrayList<>();
        final AtomicInteger closed = new AtomicInteger();

        @Override
        public Batch begin(String label, int total, String unit) {
            synchronized (labels) { labels.add(label + " (" + total + " " + unit + ")"); }
            return new Batch() {
                @Override public void advance() { advanced.incrementAndGet(); }
                @Override public void close() { closed.incrementAndGet(); }
            };
        }
    }

    @Test
    void trainingsAndRetrainingsMatchTheOracle() {
        LeastSquaresProblem p = LeastSquaresProblem.of(3);
        ProblemRuns<Sample> runs = new ProblemRuns<>(p);
        BoundMeasurement m = p.measurement(p.defaultMeasurement()).bound();
        double[] losses = new double[3];
        AtomicInteger steps = new AtomicInteger();
        double[] theta = runs.train(null, steps::incrementAndGet, losses);
        assertEquals(3, steps.get(), "afterStep once per step");
        assertTrue(losses[0] > losses[2] && losses[2] > 0, "the loss falls: " + java.util.Arrays.toString(losses));
        assertEquals(oracle(p.samples(), null, 3), runs.measure(m, theta), 1e-13);

        List<double[]> ws = List.of(weights(N, new int[] {0}, 1), weights(N, new int[] {1, 4}, 1),
                weights(N, new int[] {2, 3, 6}, 0.5), new double[N]);
        CountingProgress progress = new CountingProgress();
        double[] retrained = runs.retrainAll(m, ws, 3, progress, "four trainings");
        for (int q = 0; q < ws.size(); q++) {
            assertEquals(oracle(p.samples(), ws.get(q), 3), retrained[q], 1e-13 * Math.max(1, Math.abs(retrained[q])),
                    "weights " + q);
        }
        assertEquals(4, progress.advanced.get());
        assertEquals(List.of("four trainings (4 trainings)"), progress.labels);
        assertEquals(1, progress.closed.get());
    }

    @Test
    void exactDirectionCurvesAreTheRetrainingPolynomial() {
        int steps = 2; // f(t·1_D) is a polynomial of degree 4 in t
        LeastSquaresProblem p = LeastSquaresProblem.of(steps);
        ProblemRuns<Sample> runs = new ProblemRuns<>(p);
        BoundMeasurement m = p.measurement(p.defaultMeasurement()).bound();
        int[] d = {1, 5};
        double[] ts = {0.5, 1.0, -0.75};
        ProblemRuns.ExactResult r = runs.exactAndRetrain(m, d, 4, ts, true, 2, TaskProgress.NONE);
        assertEquals(oracle(p.samples(), null, steps), r.f0(), 1e-13);
        for (int q = 0; q < ts.length; q++) {
            double truth = oracle(p.samples(), weights(N, d, ts[q]), steps);
            assertEquals(truth, r.retrained()[q], 1e-12, "retrained at t = " + ts[q]);
            assertEquals(truth, r.curve().value(ts[q], 4), 1e-10, "exact direction at t = " + ts[q]);
        }
        ProblemRuns.ExactResult noRetrain = runs.exactAndRetrain(m, d, 4, ts, false, 1, TaskProgress.NONE);
        assertTrue(Double.isNaN(noRetrain.retrained()[0]));

        // the batched passes give the same curves, whatever the pass size
        double[][] v = {weights(N, d, 1), weights(N, new int[] {0}, 1), weights(N, new int[] {2, 3, 4, 6}, 1)};
        for (int perPass : new int[] {1, 2, 3}) {
            List<ExactDirectionCurve> curves = runs.exactBatch(m, v, 4, perPass, 2, TaskProgress.NONE);
            assertEquals(3, curves.size());
            for (int s = 0; s < v.length; s++) {
                double truth = oracle(p.samples(), v[s], steps);
                assertEquals(truth, curves.get(s).value(1.0, 4), 1e-10, "set " + s + ", " + perPass + " per pass");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> runs.exactBatch(m, v, 4, 0, 1, TaskProgress.NONE));

        // leave one out: the degree-4 change at t = 1 is retraining without the example
        int[] which = {6, 0, 3};
        List<ExactDirectionCurve> loo = runs.leaveOneOutCurves(m, which, 4, 2, TaskProgress.NONE);
        for (int q = 0; q < which.length; q++) {
            assertEquals(oracle(p.samples(), weights(N, new int[] {which[q]}, 1), steps), loo.get(q).value(1.0, 4),
                    1e-10, "example " + which[q]);
        }
    }

    @Test
    void curveBatchesAndTrainingsAgainstTheOracle() {
        int steps = 2;
        LeastSquaresProblem p = LeastSquaresProblem.of(steps);
        ProblemRuns<Sample> runs = new ProblemRuns<>(p);
        BoundMeasurement m = p.measurement(p.defaultMeasurement()).bound();
        List<int[]> sets = List.of(new int[] {0}, new int[] {1, 4}, new int[] {2, 3, 6});
        double[] ts = {0.25, 1.0};
        ProblemRuns.CurveBatch b = runs.curves(m, sets, 4, ts, true, 2, 2, TaskProgress.NONE);
        assertEquals(2, b.passes(), "3 sets, 2 per pass");
        assertTrue(b.seconds() >= b.exactSeconds() && b.exactSeconds() > 0);
        for (int q = 0; q < sets.size(); q++) {
            for (int t = 0; t < ts.length; t++) {
                double truth = oracle(p.samples(), weights(N, sets.get(q), ts[t]), steps);
                assertEquals(truth, b.retrained()[q][t], 1e-12, "set " + q + " retrained at " + ts[t]);
                assertEquals(truth, b.curves().get(q).value(ts[t], 4), 1e-10, "set " + q + " curve at " + ts[t]);
            }
        }
        ProblemRuns.CurveBatch noRetrain = runs.curves(m, sets, 4, ts, false, 3, 1, TaskProgress.NONE);
        assertEquals(1, noRetrain.passes());
        assertTrue(Double.isNaN(noRetrain.retrained()[2][1]));

        List<double[]> thetas = runs.trainAll(java.util.Arrays.asList(null, weights(N, new int[] {5}, 1)), 2,
                TaskProgress.NONE, "two trainings");
        assertEquals(oracle(p.samples(), null, steps), runs.measure(m, thetas.get(0)), 1e-13);
        assertEquals(oracle(p.samples(), weights(N, new int[] {5}, 1), steps), runs.measure(m, thetas.get(1)), 1e-13);
    }

    /**
     * Exact leave-one-out: the ranking is the finite-difference slopes' order by |slope|, each
     * first order is the slope, each top example's degree-4 change is retraining without it.
     */
    @Test
    void exactLeaveOneOutRanksByTheFiniteDifferenceSlopes() {
        int steps = 2;
        LeastSquaresProblem p = LeastSquaresProblem.of(steps);
        ProblemRuns<Sample> runs = new ProblemRuns<>(p);
        BoundMeasurement m = p.measurement(p.defaultMeasurement()).bound();
        ProblemRuns.ExactLeaveOneOut loo = runs.exactLeaveOneOut(m, 64L << 20, 3, 4, 2, TaskProgress.NONE);
        double f0 = oracle(p.samples(), null, steps);
        assertEquals(f0, loo.f0(), 1e-13);
        double h = 1e-5;
        Integer[] order = new Integer[N];
        double[] fd = new double[N];
        for (int i = 0; i < N; i++) {
            order[i] = i;
            fd[i] = (oracle(p.samples(), weights(N, new int[] {i}, h), steps)
                    - oracle(p.samples(), weights(N, new int[] {i}, -h), steps)) / (2 * h);
            assertEquals(fd[i], loo.firstOrder(i), 1e-7 * Math.max(1, Math.abs(fd[i])), "example " + i);
        }
        java.util.Arrays.sort(order, (a, c) -> Double.compare(Math.abs(fd[c]), Math.abs(fd[a])));
        assertArrayEquals(new int[] {order[0], order[1], order[2]}, loo.top());
        assertEquals(3, loo.curves().size());
        for (int q = 0; q < 3; q++) {
            double truth = oracle(p.samples(), weights(N, new int[] {loo.top()[q]}, 1), steps) - f0;
            assertEquals(truth, loo.higherOrder(q), 1e-10, "top " + q);
        }
        assertEquals(0, runs.exactLeaveOneOut(m, 64L << 20, 3, 1, 1, TaskProgress.NONE).curves().size(),
                "degree 1: the first order only");
        assertEquals(0, runs.exactLeaveOneOut(m, 64L << 20, 0, 4, 1, TaskProgress.NONE).top().length);
        assertThrows(IllegalArgumentException.class, () -> runs.exactLeaveOneOut(m, 64L << 20, -1, 4, 1,
                TaskProgress.NONE));
    }

    @Test
    void exactInfluenceIsTheDerivativeOfRetraining() {
        LeastSquaresProblem p = LeastSquaresProblem.of(3);
        ProblemRuns<Sample> runs = new ProblemRuns<>(p);
        BoundMeasurement m = p.measurement(p.defaultMeasurement()).bound();
        double[] df = runs.exactInfluence(m, 64L << 20).derivatives()[0];
        double h = 1e-5;
        for (int i = 0; i < N; i++) {
            double fd = (oracle(p.samples(), weights(N, new int[] {i}, h), 3)
                    - oracle(p.samples(), weights(N, new int[] {i}, -h), 3)) / (2 * h);
            assertEquals(fd, df[i], 1e-7 * Math.max(1, Math.abs(fd)), "∂f/∂w_" + i);
        }
    }

    /**
     * validate's comparison with one step (f quadratic in w): the retrained values are the oracle's,
     * the per-example method reports the estimator's own predictions, least squares in group space
     * (G = 3, m = 8 sketches solve degrees 1 and 2) and the exact-direction batch reproduce
     * retraining, and the exact first order is f(0) plus the finite-difference slope.
     */
    @Test
    void deletionValidationAgainstRetraining() throws Exception {
        LeastSquaresProblem p = LeastSquaresProblem.of(1);
        ProblemRuns<Sample> runs = new ProblemRuns<>(p);
        BoundMeasurement m = p.measurement(p.defaultMeasurement()).bound();
        Groups groups = p.groups("mod3");
        SketchStore perExample = new Sketcher<>(p.circuit(), p.data(), p.schedule()).degree(2).directions(8).seed(SEED)
                .run(dir.resolve("per-example"));
        SketchStore grouped = new Sketcher<>(p.circuit(), p.data(), p.schedule()).degree(2).directions(8).seed(SEED)
                .groups(groups).run(dir.resolve("grouped"));
        List<int[]> sets = List.of(groups.examplesOf(new int[] {0}), groups.examplesOf(new int[] {1, 2}),
                groups.examplesOf(new int[] {2}));
        DeletionValidation.Request q = new DeletionValidation.Request(m, sets, List.of("g0", "g1+g2", "g2"), perExample,
                grouped, groups, new int[] {8}, true, 2, 64L << 20, 2);
        DeletionValidation.Result r = DeletionValidation.run(runs, q, TaskProgress.NONE);

        assertEquals(2, r.degree());
        for (int s = 0; s < sets.size(); s++) {
            assertEquals(oracle(p.samples(), weights(N, sets.get(s), 1), 1), r.retrained()[s], 1e-13, "set " + s);
        }
        List<String> names = r.methods().stream().map(DeletionValidation.Method::name).toList();
        assertEquals(List.of("per-example", "grouped, unbiased", "grouped, least squares", "exact, batched",
                "exact first order (reverse)"), names);
        DeletionEstimator own = DeletionEstimator.cached(SketchTables.table(perExample, m, 1, 8));
        DeletionValidation.Method pe = r.methods().get(0);
        DeletionValidation.Method ls = r.methods().get(2);
        DeletionValidation.Method exact = r.methods().get(3);
        DeletionValidation.Method firstOrder = r.methods().get(4);
        double[] slope = runs.exactInfluence(m, 64L << 20).derivatives()[0];
        double f0 = oracle(p.samples(), null, 1);
        double h = 1e-5;
        for (int s = 0; s < sets.size(); s++) {
            Prediction direct = own.predictDeletion(sets.get(s));
            for (int d = 1; d <= 2; d++) {
                assertEquals(direct.mean(d), pe.mean()[s][d], 0.0, "per-example, set " + s + " degree " + d);
            }
            assertEquals(r.retrained()[s], ls.mean()[s][2], 1e-9, "least squares, set " + s);
            assertEquals(r.retrained()[s], exact.mean()[s][2], 1e-10, "exact direction, set " + s);
            assertEquals("least squares", ls.estimator()[2]);
            // the first order: f0 + slope along 1_D, the slope by central differences of the oracle
            double fd = (oracle(p.samples(), weights(N, sets.get(s), h), 1)
                    - oracle(p.samples(), weights(N, sets.get(s), -h), 1)) / (2 * h);
            assertEquals(f0 + fd, firstOrder.mean()[s][1], 1e-7, "first order, set " + s);
            double sum = f0;
            for (int i : sets.get(s)) sum += slope[i];
            assertEquals(sum, firstOrder.mean()[s][1], 1e-12);
        }
        assertNull(r.summary()[4][2], "the first order answers degree 1 only");
        assertEquals(0.0, r.summary()[2][2].meanAbsoluteError(), 1e-9);
        assertEquals(2, r.leastSquaresNotes().size(), "one note per degree");
        assertTrue(r.leastSquaresNotes().get(1).startsWith("m = 8, degree 2: solved, N = 6 unknowns"),
                r.leastSquaresNotes().toString());

        // a set that cuts a group is refused by its label
        DeletionValidation.Request cut = new DeletionValidation.Request(m, List.of(new int[] {0}), List.of("first"),
                null, grouped, groups, new int[] {8}, false, 1, 64L << 20, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeletionValidation.run(runs, cut, TaskProgress.NONE));
        assertTrue(e.getMessage().startsWith("deletion set first: "), e.getMessage());

        // the variance ratios: the predicted factor C(n+d−1, d) / C(G+d−1, d) in closed form
        List<DeletionValidation.VarianceRatio> ratios = DeletionValidation.varianceRatios(r.methods(), new int[] {8}, N,
                3, 2);
        assertEquals(2, ratios.size());
        assertEquals(7.0 / 3.0, ratios.get(0).predicted(), 1e-12);
        assertEquals((8.0 * 7 / 2) / (4.0 * 3 / 2), ratios.get(1).predicted(), 1e-12);
    }

    @Test
    void leaveOneOutValidationAgainstRetraining() throws Exception {
        LeastSquaresProblem p = LeastSquaresProblem.of(2);
        ProblemRuns<Sample> runs = new ProblemRuns<>(p);
        BoundMeasurement m = p.measurement(p.defaultMeasurement()).bound();
        SketchStore store = new Sketcher<>(p.circuit(), p.data(), p.schedule()).degree(1).directions(4).seed(SEED)
                .run(dir.resolve("loo"));
        LeaveOneOutValidation.Result r = LeaveOneOutValidation.run(runs, m, store, new int[] {2, 4}, 5, 2, 4, 64L << 20,
                2, TaskProgress.NONE);
        int[] chosen = r.chosen();
        assertArrayEquals(LeaveOneOutValidation.sample(N, 5, SEED), chosen);
        assertEquals(5, java.util.Arrays.stream(chosen).distinct().count());
        double f0 = oracle(p.samples(), null, 2);
        assertEquals(f0, r.f0(), 1e-13);
        for (int q = 0; q < 5; q++) {
            assertEquals(oracle(p.samples(), weights(N, new int[] {chosen[q]}, 1), 2) - f0, r.truth()[q], 1e-13);
        }
        List<String> names = r.methods().stream().map(LeaveOneOutValidation.Method::name).toList();
        assertEquals(List.of("exact first order (reverse)", "per-example sketches, m = 2, degree 1",
                "per-example sketches, m = 4, degree 1", "exact direction, degree 1", "exact direction, degree 2",
                "exact direction, degree 3", "exact direction, degree 4"), names);
        LeaveOneOutValidation.Method degree4 = r.methods().get(6);
        for (int q = 0; q < 5; q++) {
            if (q < 2) assertEquals(r.truth()[q], degree4.change()[q], 1e-10, "exact degree 4 is retraining");
            else assertTrue(Double.isNaN(degree4.change()[q]), "outside the exact subset");
        }
        assertNull(degree4.all(), "no summary over all when some are missing");
        assertEquals(0.0, degree4.subset().meanAbsoluteError(), 1e-10);
        assertThrows(IllegalArgumentException.class, () -> LeaveOneOutValidation.run(runs, m, store, new int[] {2}, 0,
                0, 1, 64L << 20, 1, TaskProgress.NONE));
        assertThrows(IllegalArgumentException.class, () -> LeaveOneOutValidation.run(runs, m, store, new int[] {2}, 3,
                4, 1, 64L << 20, 1, TaskProgress.NONE));
    }

    @Test
    void storesAreCheckedAgainstTheProblem() throws Exception {
        LeastSquaresProblem p = LeastSquaresProblem.of(1);
        Path d = dir.resolve("store");
        new Sketcher<>(p.circuit(), p.data(), p.schedule()).degree(1).directions(5).seed(SEED)
                .dataDigest(p.dataDigest()).run(d);
        SketchStore store = StudyStores.open(d, p, false);
        assertNull(StudyStores.mismatch(store.header(), p, SEED, INIT));
        assertEquals("seed 5 in the store, 6 in the run", StudyStores.mismatch(store.header(), p, 6L, INIT));
        assertEquals("the initial parameters differ (digest)",
                StudyStores.mismatch(store.header(), p, SEED, new double[] {0.2, -0.1, 0.5}));
        assertEquals("P = 3 in the store, 2 in the run",
                StudyStores.mismatch(store.header(), p, SEED, new double[] {0.2, -0.1}));
        LeastSquaresProblem other = new LeastSquaresProblem(p.circuit(), SketchingTest.regressionData(N, 3, 12), 1);
        assertEquals("the training data differ (data digest)", StudyStores.mismatch(store.header(), other, SEED, INIT));

        StudyStores.Opened all = StudyStores.survey(store, false, 7);
        assertEquals(7, all.expected());
        assertArrayEquals(new int[] {5, 6}, all.missing(), "recorded directions not yet sketched");

        // one file deleted, one damaged: missing and skipped with --skip-corrupt, an error without
        Files.delete(d.resolve(SketchStore.sketchFileName(1)));
        Path damaged = d.resolve(SketchStore.sketchFileName(3));
        byte[] bytes = Files.readAllBytes(damaged);
        bytes[bytes.length - 3] ^= 0x55;
        Files.write(damaged, bytes);
        SketchStore strict = StudyStores.open(d, p, false);
        BoundMeasurement m = p.measurement(p.defaultMeasurement()).bound();
        assertThrows(SketchStoreException.class, () -> SketchTables.table(strict, m, 1),
                "without skipping, the damaged file fails the read");
        SketchStore inspected = StudyStores.open(d, p, true);
        StudyStores.Opened o = StudyStores.survey(inspected, true, 0);
        assertEquals(5, o.expected());
        assertArrayEquals(new int[] {1}, o.missing());
        assertEquals(List.of(3), List.copyOf(o.skipped().keySet()));

        // a store of another circuit is refused
        Mlp_Circuit mlp = new Mlp_Circuit(new Mlp(3, 4, 3, 7));
        Problem<Sample> mlpProblem = new Problem<>() {
            @Override public String study() { return "mlp"; }
            @Override public StudyInput input() { return StudyInput.ofSeed(SEED); }
            @Override public CompiledCircuit<Sample> circuit() { return mlp; }
            @Override public Dataset<Sample> data() { return p.data(); }
            @Override public String exampleName(int i) { return "" + i; }
            @Override public Schedule schedule() { return p.schedule(); }
            @Override public double[] initialParameters() { return mlp.initialParameters(); }
            @Override public String dataSource() { return ""; }
            @Override public String initSource() { return ""; }
            @Override public long dataDigest() { return 0; }
            @Override public String defaultMeasurement() { return ""; }
            @Override public StudyMeasurement measurement(String spec) { throw new StudyException("none"); }
            @Override public List<String> measurementForms() { return List.of(); }
            @Override public List<String> groupings() { return List.of(); }
            @Override public Groups groups(String name) { throw new StudyException("none"); }
        };
        SketchStoreException e = assertThrows(SketchStoreException.class, () -> StudyStores.open(d, mlpProblem, true));
        assertTrue(e.getMessage().contains("LeastSquares"), e.getMessage());
    }

    /**
     * The heap check against free heaps chosen around a pass's size: it fits exactly when each
     * concurrent pass's bytes are within its share of 75 % of the free heap, and the largest pass
     * that fits is the largest B with passBytes(B) within that share.
     */
    @Test
    void heapCheckAgainstChosenFreeHeaps() {
        LeastSquaresProblem p = LeastSquaresProblem.of(1);
        Sketcher<Sample> s = new Sketcher<>(p.circuit(), p.data(), p.schedule()).degree(3).directions(8).threads(2)
                .directionsPerPass(4);
        long pass = s.passBytes(4);
        assertEquals(2, s.concurrentPasses());
        long exact = (long) Math.ceil(2 * pass / SketchResources.HEAP_FRACTION_FOR_PASSES) + 8;
        SketchResources.Heap fits = SketchResources.heap(s, exact);
        assertEquals(4, fits.directionsPerPass());
        assertEquals(2 * pass, fits.neededBytes());
        assertTrue(fits.fits(), fits::toString);
        assertTrue(fits.largestFitting() >= 4);
        SketchResources.Heap tight = SketchResources.heap(s, pass);
        assertTrue(!tight.fits(), tight::toString);
        int b = tight.largestFitting();
        long share = tight.budgetBytes() / 2;
        assertTrue(b == 0 || s.passBytes(b) <= share, "B = " + b + " fits its share");
        assertTrue(s.passBytes(b + 1) > share, "B + 1 does not");
        assertEquals(0, SketchResources.heap(s, 0).largestFitting());
    }

    @Test
    void measurementSpecsAndTheirErrors() {
        LeastSquaresProblem p = LeastSquaresProblem.of(1);
        LeastSquares_Circuit c = p.circuit();
        assertEquals(List.of("squaredPrediction:<double,...>"), CircuitMeasurements.forms(c).stream()
                .map(f -> f.replaceAll("<\\w+ ", "<")).toList());
        StudyMeasurement m = CircuitMeasurements.parse(c, "squaredPrediction: 1, 0.5 ,-2");
        assertEquals("squaredPrediction: 1, 0.5 ,-2", m.spec());
        Trainer<Sample> trainer = new Trainer<>(c, p.data(), p.schedule());
        double[] theta = trainer.train(null);
        assertEquals(oracle(p.samples(), null, 1), trainer.measure(m.bound(), theta), 1e-13,
                "the spec's array is the measurement's argument");
        assertNull(CircuitMeasurements.parseOrNull(c, "loss:anna"), "another kind is left to the study");

        StudyException unknown = assertThrows(StudyException.class, () -> CircuitMeasurements.parse(c, "prob:1"));
        assertTrue(unknown.malformed());
        assertTrue(unknown.getMessage().startsWith("--measure prob:1: unknown kind 'prob'; expected squaredPrediction:<"),
                unknown.getMessage());
        StudyException count = assertThrows(StudyException.class,
                () -> CircuitMeasurements.parse(c, "squaredPrediction:1,2,3;4"));
        assertTrue(count.getMessage().contains("squaredPrediction takes 1 argument(s) separated by ';', got 2"),
                count.getMessage());
        StudyException notNumber = assertThrows(StudyException.class,
                () -> CircuitMeasurements.parse(c, "squaredPrediction:1,x,3"));
        assertTrue(notNumber.getMessage().contains("argument 1 of squaredPrediction ('1,x,3') element 2: 'x' is not a number"),
                notNumber.getMessage());
        StudyException infinite = assertThrows(StudyException.class,
                () -> CircuitMeasurements.parse(c, "squaredPrediction:1,Infinity,3"));
        assertTrue(infinite.getMessage().contains("'Infinity' is not finite"), infinite.getMessage());
        StudyException noArgs = assertThrows(StudyException.class, () -> CircuitMeasurements.parse(c, "squaredPrediction"));
        assertTrue(noArgs.getMessage().contains("got 0"), noArgs.getMessage());
    }
}
