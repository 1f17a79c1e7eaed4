package org.jetsketch.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jetsketch.predict.CoefficientTable;
import org.jetsketch.predict.DeletionEstimator;
import org.jetsketch.predict.ExactDirection;
import org.jetsketch.predict.ExactDirectionCurve;
import org.jetsketch.predict.LeaveOneOut;
import org.jetsketch.predict.Prediction;
import org.jetsketch.predict.SketchTables;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.sketch.Sketcher;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.Trainer;

/**
 * Runs one {@link Example} end to end, as a user would: ordinary training; retraining without D
 * (the ground truth); one exact-direction jet training along 1_D; m random-direction sketches
 * into a temporary directory; the prediction for D from the sketches; leave-one-out influences on
 * a measurement, the top ones checked by retraining. Everything is timed.
 */
public final class DeletionStudy {
    private DeletionStudy() {}

    /** How many of the most influential examples are listed (and retrained). */
    public static final int TOP = 5;

    /**
     * Directions per jet pass: they share the real part, which makes sketching 2-3 times faster
     * here; the sketches do not depend on it.
     */
    public static final int DIRECTIONS_PER_PASS = 8;

    /** One of the most influential examples: the sketch's estimate and the retrained truth. */
    public record Influential(int index, double predictedChange, double standardError, double retrainedChange,
                              boolean inDeletionSet) {}

    /**
     * Everything a study measured. Times are wall-clock nanoseconds. {@code exact[d]} is the
     * degree-d exact-direction value Σ_{r≤d} c_r (t = 1), d = 0..exactDegree. {@code jetKernels}
     * says which jet kernels the sketch ran on and why ({@link Sketcher#jetKernelsDescription()}).
     */
    public record Result(
            Example<?> example,
            int parameters,
            int threads,
            double f0,
            double retrained,
            double[] exact,
            Prediction prediction,
            long storeBytes,
            double influenceF0,
            List<Influential> influential,
            long trainNanos,
            long retrainNanos,
            long exactNanos,
            long sketchNanos,
            long tableNanos,
            long predictNanos,
            long leaveOneOutNanos,
            String jetKernels) {

        /** |exact-direction value at degree d − retrained|. */
        public double exactError(int d) { return Math.abs(exact[d] - retrained); }

        /** |sketch prediction (mean) at degree d − retrained|. */
        public double predictionError(int d) { return Math.abs(prediction.mean(d) - retrained); }

        /** (sketch prediction − exact-direction value) / standard error, at degree d. */
        public double zAgainstExact(int d) {
            return (prediction.mean(d) - exact[d]) / prediction.standardError(d);
        }
    }

    /** Runs the study with sketches in a fresh temporary directory, deleted afterwards. */
    public static <E> Result run(Example<E> example, int threads) {
        Path dir;
        try {
            dir = Files.createTempDirectory("jetsketch-example-" + example.name() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return run(example, threads, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteRecursively(dir);
        }
    }

    /** Runs the study with sketches stored in {@code dir}. */
    public static <E> Result run(Example<E> example, int threads, Path dir) throws IOException {
        var circuit = example.circuit();
        Dataset<E> data = Dataset.of(example.data());
        int n = data.size();
        int[] deletion = example.deletionSet();
        double[] initial = circuit.initialParameters();
        Trainer<E> trainer = new Trainer<>(circuit, data, example.schedule());

        long t0 = System.nanoTime();
        double[] theta0 = trainer.train(initial, null);
        long trainNanos = System.nanoTime() - t0;
        double f0 = trainer.measure(example.measurement(), theta0);

        double[] oneD = ExactDirection.indicator(n, deletion);
        t0 = System.nanoTime();
        double[] thetaD = trainer.train(initial, oneD);
        long retrainNanos = System.nanoTime() - t0;
        double retrained = trainer.measure(example.measurement(), thetaD);

        t0 = System.nanoTime();
        ExactDirectionCurve curve = ExactDirection.run(circuit, data, example.schedule(), initial, oneD,
                example.exactDegree(), example.measurement());
        long exactNanos = System.nanoTime() - t0;
        double[] exact = new double[example.exactDegree() + 1];
        for (int d = 0; d <= example.exactDegree(); d++) exact[d] = curve.value(1.0, d);

        t0 = System.nanoTime();
        Sketcher<E> sketcher = new Sketcher<>(circuit, data, example.schedule())
                .degree(example.sketchDegree())
                .directions(example.sketches())
                .seed(example.seed())
                .threads(threads)
                .directionsPerPass(DIRECTIONS_PER_PASS)
                .initialParameters(initial);
        SketchStore store = sketcher.run(dir);
        long sketchNanos = System.nanoTime() - t0;

        t0 = System.nanoTime();
        CoefficientTable table = SketchTables.table(store, example.measurement(), threads);
        long tableNanos = System.nanoTime() - t0;
        DeletionEstimator estimator = DeletionEstimator.cached(table);
        t0 = System.nanoTime();
        Prediction prediction = estimator.predictDeletion(deletion);
        long predictNanos = System.nanoTime() - t0;

        t0 = System.nanoTime();
        DeletionEstimator influenceEstimator = example.influenceMeasurement() == example.measurement()
                ? estimator
                : DeletionEstimator.cached(SketchTables.table(store, example.influenceMeasurement(), threads));
        LeaveOneOut loo = influenceEstimator.leaveOneOut(example.influenceDegree());
        long leaveOneOutNanos = System.nanoTime() - t0;
        double influenceF0 = trainer.measure(example.influenceMeasurement(), theta0);
        List<Influential> top = new ArrayList<>();
        for (LeaveOneOut.Influence inf : loo.topInfluential(TOP)) {
            double[] w = ExactDirection.indicator(n, new int[] {inf.index()});
            double truth = trainer.measure(example.influenceMeasurement(), trainer.train(initial, w)) - influenceF0;
            boolean inD = false;
            for (int i : deletion) inD |= i == inf.index();
            top.add(new Influential(inf.index(), inf.change(), inf.standardError(), truth, inD));
        }

        return new Result(example, circuit.layout().size(), threads, f0, retrained, exact, prediction,
                store.sizeOnDisk(), influenceF0, List.copyOf(top), trainNanos, retrainNanos, exactNanos, sketchNanos,
                tableNanos, predictNanos, leaveOneOutNanos, sketcher.jetKernelsDescription());
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort: a temporary directory left behind is harmless
        }
    }
}
