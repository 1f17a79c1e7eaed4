package org.jetsketch.circuits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.predict.CoefficientTable;
import org.jetsketch.predict.DeletionEstimator;
import org.jetsketch.predict.ExactDirection;
import org.jetsketch.predict.ExactDirectionCurve;
import org.jetsketch.predict.Prediction;
import org.jetsketch.predict.SketchTables;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.sketch.Sketcher;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sketch, predict, verify: the runtime end to end on generated circuits (scheme.md §4–§7). */
class SketchingTest {
    @TempDir Path dir;

    static List<Sample> regressionData(int n, int features, long seed) {
        Random r = new Random(seed);
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] x = new double[features];
            for (int j = 0; j < features; j++) x[j] = r.nextGaussian();
            // Sample.label is an int class label; for regression use small integer targets
            out.add(new Sample(x, r.nextInt(5) - 2));
        }
        return out;
    }

    /**
     * One gradient step of least squares: θ is affine in w and the measurement quadratic in θ, so
     * f is a polynomial of degree 2 in w. Exact-direction mode at k = 2 reproduces retraining to
     * 1e-10, and the sketch estimate lands within 4 standard errors of it.
     */
    @Test
    void polynomialLearningAlgorithmIsReproducedExactly() throws Exception {
        int n = 6;
        List<Sample> data = regressionData(n, 3, 1);
        LeastSquares_Circuit circuit = new LeastSquares_Circuit(new LeastSquares(new double[] {0.2, -0.1, 0.4}));
        Schedule schedule = Schedule.fullBatch(n, 1);
        BoundMeasurement m = circuit.squaredPrediction(new double[] {1.0, 0.5, -2.0});
        Trainer<Sample> trainer = new Trainer<>(circuit, Dataset.of(data), schedule);
        int[][] sets = {{0}, {1, 4}, {0, 2, 3, 5}};
        DeletionEstimator estimator = DeletionEstimator.cached(table(circuit, data, schedule, m, 2, 3000, 2));
        for (int[] d : sets) {
            double[] v = ExactDirection.indicator(n, d);
            double retrained = trainer.measure(m, trainer.train(v));
            ExactDirectionCurve exact = ExactDirection.run(circuit, Dataset.of(data), schedule,
                    circuit.initialParameters(), v, 3, m);
            assertEquals(retrained, exact.value(1.0, 2), 1e-10 * Math.max(1, Math.abs(retrained)));
            assertEquals(0.0, exact.coefficient(3), 1e-12, "a degree-2 polynomial has no cubic term");
            Prediction p = estimator.predictDeletion(d);
            assertWithin(p.mean(2), p.standardError(2), exact.value(1.0, 2), 4, "sketch degree 2, D=" + str(d));
        }
    }

    /** Unbiasedness on a nonlinear circuit: the sketch mean at degree d is within 4 SE of the exact value. */
    @Test
    void sketchEstimateIsUnbiasedAtEveryDegree() throws Exception {
        List<Sample> data = MlpCircuitTest.samples(11);
        int n = data.size();
        Mlp_Circuit circuit = new Mlp_Circuit(new Mlp(3, 4, 3, 7));
        Schedule schedule = Schedule.miniBatches(n, 4, 3, 5);
        BoundMeasurement m = circuit.logit(new double[] {0.3, -1.2, 0.8}, 1);
        DeletionEstimator estimator = DeletionEstimator.cached(table(circuit, data, schedule, m, 3, 600, 2));
        for (int[] d : new int[][] {{2}, {0, 5}, {1, 3, 6}}) {
            ExactDirectionCurve exact = ExactDirection.run(circuit, Dataset.of(data), schedule,
                    circuit.initialParameters(), ExactDirection.indicator(n, d), 3, m);
            Prediction p = estimator.predictDeletion(d);
            for (int k = 1; k <= 3; k++) {
                assertWithin(p.mean(k), p.standardError(k), exact.value(1.0, k), 4, "degree " + k + ", D=" + str(d));
            }
        }
        assertEquals(estimator.table().f0(), estimator.predictDeletion(new int[0]).mean(3), 0.0, "empty D is f(0)");
    }

    /**
     * Convergence: least squares trained by 8 full-batch steps is a polynomial of degree 8 in the
     * weights (16 for the quadratic measurement), nonlinear but smooth; the exact-direction error
     * against retraining falls at every degree from 1 to 6.
     */
    @Test
    void exactDirectionErrorFallsWithDegree() {
        int n = 20;
        List<Sample> data = regressionData(n, 3, 4);
        LeastSquares_Circuit circuit = new LeastSquares_Circuit(new LeastSquares(new double[] {0.2, -0.1, 0.4}));
        Schedule schedule = Schedule.fullBatch(n, 8);
        BoundMeasurement m = circuit.squaredPrediction(new double[] {1.0, 0.5, -2.0});
        double[] error = errorsByDegree(circuit, data, schedule, m, new int[] {3}, 6);
        for (int k = 2; k <= 6; k++) {
            assertTrue(error[k] < error[k - 1], "error must fall with the degree: " + java.util.Arrays.toString(error));
        }
        assertTrue(error[6] < error[1] * 1e-3, java.util.Arrays.toString(error));
    }

    /**
     * The Adam-trained MLP, one example deleted: degree 6 is far closer to retraining than degree
     * 1. (Deleting a quarter of its data is outside the series' convergence radius for some sets;
     * the stability profile is what shows that to a user.)
     */
    @Test
    void adamMlpErrorFallsFromDegreeOneToSix() {
        List<Sample> data = MlpCircuitTest.samples(11);
        Mlp_Circuit circuit = new Mlp_Circuit(new Mlp(3, 4, 3, 7));
        Schedule schedule = Schedule.miniBatches(data.size(), 4, 3, 5);
        BoundMeasurement m = circuit.probability(new double[] {0.3, -1.2, 0.8}, 1);
        double[] error = errorsByDegree(circuit, data, schedule, m, new int[] {5}, 6);
        assertTrue(error[6] < error[1] / 10, java.util.Arrays.toString(error));
    }

    private static <E> double[] errorsByDegree(org.jetsketch.circuit.CompiledCircuit<E> circuit, List<E> data,
            Schedule schedule, BoundMeasurement m, int[] d, int maxDegree) {
        double[] v = ExactDirection.indicator(data.size(), d);
        Trainer<E> trainer = new Trainer<>(circuit, Dataset.of(data), schedule);
        double retrained = trainer.measure(m, trainer.train(v));
        ExactDirectionCurve exact = ExactDirection.run(circuit, Dataset.of(data), schedule,
                circuit.initialParameters(), v, maxDegree, m);
        double[] error = new double[maxDegree + 1];
        for (int k = 1; k <= maxDegree; k++) error[k] = Math.abs(exact.value(1.0, k) - retrained);
        return error;
    }

    @Test
    void sketchesAreBitIdenticalForAnyThreadCountAndResume() throws Exception {
        List<Sample> data = MlpCircuitTest.samples(11);
        Mlp_Circuit circuit = new Mlp_Circuit(new Mlp(3, 4, 3, 7));
        Schedule schedule = Schedule.miniBatches(data.size(), 4, 2, 5);
        Sketcher<Sample> one = new Sketcher<>(circuit, Dataset.of(data), schedule).degree(2).directions(6).seed(9)
                .threads(1);
        SketchStore a = one.run(dir.resolve("one"));
        SketchStore b = new Sketcher<>(circuit, Dataset.of(data), schedule).degree(2).directions(6).seed(9).threads(2)
                .run(dir.resolve("two"));
        // resume: 3 sketches first, then the rest; the first three are not recomputed
        AtomicInteger reported = new AtomicInteger();
        new Sketcher<>(circuit, Dataset.of(data), schedule).degree(2).directions(3).seed(9).run(dir.resolve("resume"));
        SketchStore c = new Sketcher<>(circuit, Dataset.of(data), schedule).degree(2).directions(6).seed(9)
                .directionsPerPass(1) // one progress report per computed sketch
                .progress((done, total, rate, eta) -> reported.incrementAndGet())
                .run(dir.resolve("resume"));
        assertEquals(3, reported.get(), "only the 3 missing sketches are computed on resume");
        // batched directions (two per jet pass) give the same sketches too
        SketchStore batched = new Sketcher<>(circuit, Dataset.of(data), schedule).degree(2).directions(6).seed(9)
                .directionsPerPass(2).run(dir.resolve("batched"));
        int length = a.header().coefficientLength();
        for (int j = 0; j < 6; j++) {
            double[] x = new double[length];
            double[] y = new double[length];
            double[] z = new double[length];
            double[] w = new double[length];
            a.read(j, x);
            b.read(j, y);
            c.read(j, z);
            batched.read(j, w);
            assertArrayEquals(x, y, 0.0, "threads, sketch " + j);
            assertArrayEquals(x, z, 0.0, "resume, sketch " + j);
            assertArrayEquals(x, w, 1e-13, "batched, sketch " + j);
        }
        assertArrayEquals(a.theta0(), b.theta0(), 0.0);
        assertTrue(Files.size(dir.resolve("one").resolve(SketchStore.sketchFileName(0))) > 0);
    }

    /**
     * The Sketcher picks the jet kernels per sketch by its expected jet work; whichever it runs on,
     * every file of the store is the same bytes (the Vector API kernels do each direction's scalar
     * operations in the scalar order), in passes of 8 and 16 directions (one and two vectors of 8,
     * two and four of 4) and of 3 (fewer directions than a vector).
     */
    @Test
    void storesAreByteIdenticalOnVectorAndScalarJetKernels() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(org.jetsketch.jet.Simd.ENABLED,
                "jdk.incubator.vector is not enabled in this JVM");
        List<Sample> data = MlpCircuitTest.samples(19); // seed 19
        Mlp_Circuit circuit = new Mlp_Circuit(new Mlp(3, 4, 3, 7));
        Schedule schedule = Schedule.miniBatches(data.size(), 4, 2, 5);
        for (int perPass : new int[] {3, 8, 16}) {
            Sketcher<Sample> vector = new Sketcher<>(circuit, Dataset.of(data), schedule).degree(3).directions(19)
                    .seed(4).threads(2).directionsPerPass(perPass).vectorKernels(true);
            Sketcher<Sample> scalar = new Sketcher<>(circuit, Dataset.of(data), schedule).degree(3).directions(19)
                    .seed(4).threads(2).directionsPerPass(perPass).vectorKernels(false);
            Sketcher<Sample> chosen = new Sketcher<>(circuit, Dataset.of(data), schedule).degree(3).directions(19)
                    .seed(4).threads(2).directionsPerPass(perPass);
            assertTrue(vector.usesVectorKernels());
            assertTrue(!scalar.usesVectorKernels());
            // a small sketch: by the rule, the scalar kernels
            assertTrue(!chosen.usesVectorKernels(), chosen.jetKernelsDescription());
            assertTrue(chosen.jetKernelsDescription().startsWith("scalar jet kernels (expected jet work"),
                    chosen.jetKernelsDescription());
            assertTrue(vector.jetKernelsDescription().startsWith("Vector API jet kernels (as asked"),
                    vector.jetKernelsDescription());
            Path v = dir.resolve("vector-" + perPass);
            Path s = dir.resolve("scalar-" + perPass);
            vector.run(v);
            scalar.run(s);
            List<Path> files;
            try (var list = Files.list(v)) {
                files = list.filter(f -> !f.getFileName().toString().endsWith(".lock")).sorted().toList();
            }
            int sketches = 0;
            for (Path f : files) {
                Path other = s.resolve(f.getFileName());
                assertTrue(Files.exists(other), "scalar store lacks " + f.getFileName());
                assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(other),
                        f.getFileName() + ", " + perPass + " per pass");
                if (f.getFileName().toString().startsWith("sketch-")) sketches++;
            }
            assertEquals(19, sketches, "every sketch file compared");
        }
        // -Djetsketch.simd=true puts even a small sketch on the vector kernels; an explicit choice still wins
        Sketcher<Sample> small = new Sketcher<>(circuit, Dataset.of(data), schedule).degree(3).directions(19);
        String before = System.getProperty("jetsketch.simd");
        System.setProperty("jetsketch.simd", "true");
        try {
            assertTrue(small.usesVectorKernels(), small.jetKernelsDescription());
            assertTrue(small.jetKernelsDescription().contains("-Djetsketch.simd=true"), small.jetKernelsDescription());
            assertTrue(!small.vectorKernels(false).usesVectorKernels());
        } finally {
            if (before == null) System.clearProperty("jetsketch.simd");
            else System.setProperty("jetsketch.simd", before);
        }
        // a sketch with as much work as microgpt's is put on the vector kernels by the rule
        Sketcher<Sample> large = new Sketcher<>(circuit, Dataset.of(data), Schedule.fullBatch(data.size(), 1000))
                .degree(3).directions(Sketcher.MAX_DIRECTIONS);
        assertTrue(large.usesVectorKernels(), large.jetKernelsDescription());
    }

    /**
     * The probe behind the kernel choice counts the jet products of the first examples' losses:
     * the same count as a pass of 8 directions at degree 3 on the vector kernels makes on those
     * examples (a count of calls, not of time, so kernels, degree and B do not change it), and
     * a hidden layer twice as wide makes about twice as many.
     */
    @Test
    void productsPerExampleCountsTheFirstExamplesProducts() {
        List<Sample> data = MlpCircuitTest.samples(19); // seed 19
        Schedule schedule = Schedule.miniBatches(data.size(), 4, 2, 5);
        Mlp_Circuit narrow = new Mlp_Circuit(new Mlp(3, 4, 3, 7));
        Mlp_Circuit wide = new Mlp_Circuit(new Mlp(3, 8, 3, 7));
        long narrowCount = new Sketcher<>(narrow, Dataset.of(data), schedule).productsPerExample();
        long wideCount = new Sketcher<>(wide, Dataset.of(data), schedule).productsPerExample();
        // the same examples on a block of 8 directions at degree 3
        org.jetsketch.jet.Jets block = new org.jetsketch.jet.Jets(3, 8, true);
        int stride = block.stride();
        org.jetsketch.circuit.JetWorkspace ws = narrow.newJetWorkspace(block);
        ws.loadParameters(block.constants(narrow.initialParameters()));
        ws.branches = new org.jetsketch.circuit.BranchMonitor(block);
        double[] seedJet = new double[stride];
        seedJet[0] = 1.0;
        double[] loss = new double[stride];
        int probed = 0;
        for (int step = 0; probed < Sketcher.PROBE_EXAMPLES; step++) {
            for (int i : schedule.batchOf(step)) {
                if (probed < Sketcher.PROBE_EXAMPLES) {
                    narrow.lossAndGradient(ws, data.get(i), seedJet, 0, loss, 0);
                    probed++;
                }
            }
        }
        assertEquals((block.products() + probed - 1) / probed, narrowCount);
        assertTrue(narrowCount > 0);
        assertTrue(wideCount >= 1.5 * narrowCount && wideCount <= 2.5 * narrowCount,
                narrowCount + " products per example, twice as wide: " + wideCount);
    }

    @Test
    void aStoreOfAnotherCircuitOrAMeasurementOfAnotherCircuitIsRejected() throws Exception {
        List<Sample> data = MlpCircuitTest.samples(11);
        Mlp_Circuit circuit = new Mlp_Circuit(new Mlp(3, 4, 3, 7));
        Schedule schedule = Schedule.sequential(data.size(), 4);
        SketchStore store = new Sketcher<>(circuit, Dataset.of(data), schedule).degree(1).directions(2).run(dir);
        Mlp_Circuit wider = new Mlp_Circuit(new Mlp(3, 5, 3, 7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SketchTables.table(store, wider.logit(new double[] {0, 0, 0}, 0), 1));
        assertTrue(e.getMessage().contains("different code or for a different parameter layout"), e.getMessage());
        Trainer<Sample> trainer = new Trainer<>(circuit, Dataset.of(data), schedule);
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> trainer.measure(wider.logit(new double[] {0, 0, 0}, 0), circuit.initialParameters()));
        assertTrue(other.getMessage().contains("belongs to circuit"), other.getMessage());
    }

    private <E> CoefficientTable table(org.jetsketch.circuit.CompiledCircuit<E> circuit, List<E> data,
            Schedule schedule, BoundMeasurement m, int k, int directions, int threads) throws Exception {
        SketchStore store = new Sketcher<>(circuit, Dataset.of(data), schedule).degree(k).directions(directions)
                .seed(3).threads(threads).directionsPerPass(4).run(dir.resolve("table-" + k + "-" + directions));
        return SketchTables.table(store, m, threads);
    }

    static void assertWithin(double estimate, double se, double truth, double sigmas, String what) {
        assertTrue(se > 0, what + ": standard error must be positive");
        assertTrue(Math.abs(estimate - truth) <= sigmas * se,
                what + ": estimate " + estimate + " ± " + se + " vs " + truth + " (" + Math.abs(estimate - truth) / se
                        + " SE)");
    }

    private static String str(int[] d) { return java.util.Arrays.toString(d); }
}
