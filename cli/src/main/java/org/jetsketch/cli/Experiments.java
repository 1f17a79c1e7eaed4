package org.jetsketch.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.api.java.JavaSparkContext;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.microgpt.Doc;
import org.jetsketch.predict.CoefficientTable;
import org.jetsketch.predict.ExactDirection;
import org.jetsketch.predict.ExactDirectionCurve;
import org.jetsketch.predict.SketchTables;
import org.jetsketch.sketch.Groups;
import org.jetsketch.sketch.BranchSwitch;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.sketch.Sketcher;
import org.jetsketch.spark.MeasurementRecipe;
import org.jetsketch.spark.SparkContexts;
import org.jetsketch.spark.SparkSketchTables;
import org.jetsketch.spark.SparkSketcher;
import org.jetsketch.train.JetTrainer;
import org.jetsketch.train.Schedule;

/** The pieces of work the commands share: sketching, exact-direction curves, retraining. */
final class Experiments {
    private Experiments() {}

    /** t = 0, 0.1, ..., 1: the paper's retraining grid. */
    static final String DEFAULT_TS = "0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1";

    /** Parses a comma-separated list of t values, or a range a:step:b. */
    static double[] parseTs(String text) {
        String s = text.trim();
        try {
            if (s.contains(":")) {
                String[] p = s.split(":");
                if (p.length != 3) throw new CliException("--t " + text + ": a range is a:step:b, e.g. 0:0.1:1");
                double a = Double.parseDouble(p[0]);
                double step = Double.parseDouble(p[1]);
                double b = Double.parseDouble(p[2]);
                if (!(step > 0) || !(b >= a) || !Double.isFinite(a) || !Double.isFinite(b)) {
                    throw new CliException("--t " + text + ": need a <= b and a positive step");
                }
                int count = (int) Math.floor((b - a) / step + 1e-9) + 1;
                if (count > 10_000) throw new CliException("--t " + text + ": more than 10,000 values");
                double[] ts = new double[count];
                for (int i = 0; i < count; i++) ts[i] = Math.round((a + i * step) * 1e12) / 1e12;
                return ts;
            }
            String[] parts = s.split("[,\\s]+");
            double[] ts = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                ts[i] = Double.parseDouble(parts[i]);
                if (!Double.isFinite(ts[i])) throw new CliException("--t " + text + ": " + parts[i] + " is not finite");
            }
            if (ts.length == 0) throw new CliException("--t: no values");
            return ts;
        } catch (NumberFormatException e) {
            throw new CliException("--t " + text + ": not a list of numbers (e.g. 0,0.5,1) or a range a:step:b");
        }
    }

    // ------------------------------------------------------------------------ sketching

    /**
     * Makes sure {@code dir} holds sketches 0..directions-1 of {@code setup} at {@code degree}
     * (computing only the missing ones), with a progress bar; {@code perPass} 0 means
     * {@link Sketcher#defaultDirectionsPerPass}.
     */
    static SketchStore sketch(Setup setup, Path dir, int degree, int directions, int threads, int perPass,
            PrintWriter err) throws IOException {
        return sketch(setup, dir, degree, directions, threads, perPass, null, err);
    }

    /** {@link #sketch(Setup, Path, int, int, int, int, PrintWriter)} with grouped directions (null: per-example). */
    static SketchStore sketch(Setup setup, Path dir, int degree, int directions, int threads, int perPass, Groups groups,
            PrintWriter err) throws IOException {
        if (degree < 1) throw new CliException("--degree must be at least 1, got " + degree);
        if (directions < 1) throw new CliException("--directions must be at least 1, got " + directions);
        setup.writeOrCheckRunFile(dir, "--sketch");
        int passSize = perPass > 0 ? perPass : Sketcher.defaultDirectionsPerPass(degree, directions, threads);
        int calibration = degree >= 50 ? 2 : 10;
        jetStepSeconds(setup, degree, passSize, calibration); // cold: compiles the jet code
        double perStep = jetStepSeconds(setup, degree, passSize, calibration);
        int passes = (directions + passSize - 1) / passSize;
        double estimate = perStep * setup.n() * Math.ceil((double) passes / Math.min(threads, passes))
                + ORDINARY_STEP_SECONDS * setup.n();
        try (Progress bar = new Progress(err, "sketching (degree " + degree + ")", directions, "directions", estimate)) {
            return new Sketcher<>(setup.circuit, setup.data, setup.schedule)
                    .degree(degree)
                    .directions(directions)
                    .seed(setup.seed)
                    .dataDigest(setup.dataDigest())
                    .threads(threads)
                    .directionsPerPass(passSize)
                    .initialParameters(setup.init)
                    .groups(groups)
                    .progress(bar)
                    .run(dir);
        }
    }

    /**
     * {@link #sketch} on a Spark cluster: the same store, byte for byte. {@code dir} must be on a
     * file system every executor shares (it is written by the executors).
     */
    static void sketchOnSpark(Setup setup, Path dir, int degree, int directions, Integer perPass, Groups groups,
            String master, PrintWriter err) throws IOException {
        if (degree < 1) throw new CliException("--degree must be at least 1, got " + degree);
        if (directions < 1) throw new CliException("--directions must be at least 1, got " + directions);
        setup.writeOrCheckRunFile(dir, "--sketch");
        try (JavaSparkContext sc = SparkContexts.start(master, "jetsketch sketch", applicationJar());
             Progress bar = new Progress(err, "sketching on Spark (degree " + degree + ")", directions, "directions")) {
            SparkSketcher<Doc> sketcher = new SparkSketcher<>(sc, setup.recipe()).degree(degree).directions(directions)
                    .seed(setup.seed).dataDigest(setup.dataDigest()).groups(groups).initialParameters(setup.init)
                    .progress(bar);
            if (perPass != null && perPass > 0) sketcher.directionsPerPass(perPass); // 0: the default
            sketcher.run(dir.toAbsolutePath().toUri().toString());
        }
    }

    /** {@link #table} on a Spark cluster. */
    static CoefficientTable tableOnSpark(SketchStore store, Setup setup, Measures.Measure measure, Integer sketches,
            String master) throws IOException {
        if (store.count() == 0) throw new CliException("the sketch directory " + store.directory() + " holds no sketches yet");
        int m = sketches == null ? store.count() : sketches;
        if (m < 1 || m > store.count()) {
            throw new CliException("--sketches " + m + ": the store holds " + store.count() + " sketches");
        }
        try (JavaSparkContext sc = SparkContexts.start(master, "jetsketch predict", applicationJar())) {
            return SparkSketchTables.table(sc, store.directory().toAbsolutePath().toUri().toString(),
                    new MeasureRecipe(setup.recipe(), measure.spec()), m);
        }
    }

    /**
     * The jar a cluster's executors need (cli-*-spark.jar: this command line without Spark); the
     * ./jetsketch launcher names it in the system property {@code jetsketch.spark.jar}.
     */
    static String applicationJar() {
        return System.getProperty("jetsketch.spark.jar");
    }

    /** A measurement an executor rebuilds: the run and the --measure text. */
    record MeasureRecipe(Setup.Recipe run, String spec) implements MeasurementRecipe {
        @Override
        public BoundMeasurement rebuild() {
            return Measures.parse(spec, run.setup()).bound();
        }
    }

    /** Seconds per jet training step at {@code degree}, timed over a few steps (for the first ETA only). */
    static double jetStepSeconds(Setup setup, int degree, int directions, int steps) {
        int s = Math.min(steps, setup.n());
        int[] order = new int[s];
        for (int i = 0; i < s; i++) order[i] = i;
        JetTrainer<Doc> t = new JetTrainer<>(setup.circuit, setup.data, Schedule.inOrder(setup.n(), order), degree,
                directions);
        double[] re = new double[directions * setup.n()];
        double[] im = new double[directions * setup.n()];
        java.util.Arrays.fill(re, 1.0 / Math.sqrt(setup.n()));
        long t0 = System.nanoTime();
        t.train(setup.init, null, re, im);
        return (System.nanoTime() - t0) / 1e9 / s;
    }

    /** A rough ordinary step time (the sketcher first trains θ_0 ordinarily), for the first ETA only. */
    static final double ORDINARY_STEP_SECONDS = 0.002;

    /** Opens the sketches in {@code dir} and checks that they were made for {@code setup}'s circuit. */
    static SketchStore open(Path dir, Setup setup) throws IOException {
        return SketchStore.open(dir, setup.circuit.circuitName(), Sketcher.fingerprint(setup.circuit));
    }

    /** The coefficient table of a measurement over the first {@code sketches} sketches (null: all). */
    static CoefficientTable table(SketchStore store, Measures.Measure measure, int threads, Integer sketches)
            throws IOException {
        if (store.count() == 0) throw new CliException("the sketch directory " + store.directory() + " holds no sketches yet");
        int m = sketches == null ? store.count() : sketches;
        if (m < 1 || m > store.count()) {
            throw new CliException("--sketches " + m + ": the store holds " + store.count() + " sketches");
        }
        return SketchTables.table(store, measure.bound(), threads, m);
    }

    // ------------------------------------------------------------------------ exact direction and retraining

    /** The exact-direction coefficients of t ↦ f(t·1_D) and retrained values at {@code ts} (NaN where not retrained). */
    record ExactResult(ExactDirectionCurve curve, double[] ts, double[] retrained, double f0) {}

    /**
     * One jet training along v = 1_D at {@code degree} and, if {@code retrain}, ordinary trainings
     * with w = t·1_D at every t — all in parallel on {@code threads} threads.
     */
    static ExactResult exactAndRetrain(Setup setup, Measures.Measure measure, Deletions.Deletion deletion, int degree,
            double[] ts, boolean retrain, int threads, PrintWriter err) {
        if (degree < 1) throw new CliException("--degree must be at least 1, got " + degree);
        double[] v = setup.weights(deletion.indices(), 1.0);
        List<Callable<double[]>> tasks = new ArrayList<>();
        AtomicReference<BranchSwitch> branch = new AtomicReference<>(BranchSwitch.NONE);
        tasks.add(() -> {
            ExactDirectionCurve c = ExactDirection.run(setup.circuit, setup.data, setup.schedule, setup.init, v, degree,
                    measure.bound());
            branch.set(c.branchSwitch());
            double[] out = new double[degree + 1];
            for (int r = 0; r <= degree; r++) out[r] = c.coefficient(r);
            return out;
        });
        if (retrain) {
            for (double t : ts) {
                tasks.add(() -> new double[] {setup.measure(measure.bound(), setup.train(setup.weights(deletion.indices(), t),
                        null, null))});
            }
        }
        List<double[]> results = runAll(tasks, threads, err,
                retrain ? "exact direction + " + ts.length + " retrainings" : "exact direction (degree " + degree + ")",
                "runs");
        ExactDirectionCurve curve = new ExactDirectionCurve(results.get(0), branch.get());
        double[] retrained = new double[ts.length];
        for (int q = 0; q < ts.length; q++) retrained[q] = retrain ? results.get(q + 1)[0] : Double.NaN;
        return new ExactResult(curve, ts, retrained, curve.coefficient(0));
    }

    /**
     * Exact-direction coefficients along every real direction of {@code v} (scheme §11): jet passes
     * of up to {@code perPass} directions sharing the real part, the passes in parallel.
     */
    static List<ExactDirectionCurve> exactBatch(Setup setup, Measures.Measure measure, double[][] v, int degree,
            int perPass, int threads, PrintWriter err) {
        if (degree < 1) throw new CliException("--degree must be at least 1, got " + degree);
        List<Callable<List<ExactDirectionCurve>>> tasks = new ArrayList<>();
        for (int start = 0; start < v.length; start += perPass) {
            double[][] chunk = java.util.Arrays.copyOfRange(v, start, Math.min(v.length, start + perPass));
            tasks.add(() -> ExactDirection.runBatch(setup.circuit, setup.data, setup.schedule, setup.init, chunk, degree,
                    chunk.length, measure.bound()));
        }
        List<ExactDirectionCurve> out = new ArrayList<>();
        for (List<ExactDirectionCurve> part : runAll(tasks, threads, err, "exact directions (" + v.length
                + " sets, degree " + degree + ")", "passes")) {
            out.addAll(part);
        }
        return out;
    }

    /** The measurement after ordinary training with each weight vector, in parallel. */
    static double[] retrainAll(Setup setup, Measures.Measure measure, List<double[]> weights, int threads, PrintWriter err,
            String label) {
        List<Callable<double[]>> tasks = new ArrayList<>();
        for (double[] w : weights) {
            tasks.add(() -> new double[] {setup.measure(measure.bound(), setup.train(w, null, null))});
        }
        List<double[]> results = runAll(tasks, threads, err, label, "trainings");
        double[] out = new double[weights.size()];
        for (int i = 0; i < out.length; i++) out[i] = results.get(i)[0];
        return out;
    }

    /** Runs tasks on a pool with a progress bar counting finished tasks; results in task order. */
    static <T> List<T> runAll(List<Callable<T>> tasks, int threads, PrintWriter err, String label, String unit) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, tasks.size())), r -> {
            Thread t = new Thread(r, "jetsketch-worker");
            t.setDaemon(true);
            return t;
        });
        try (Progress bar = new Progress(err, label, tasks.size(), unit)) {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    T result = task.call();
                    bar.advance();
                    return result;
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) out.add(f.get());
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) throw re;
            if (c instanceof Error er) throw er;
            if (c instanceof IOException io) throw new UncheckedIOException(io);
            throw new IllegalStateException(c);
        } finally {
            pool.shutdownNow();
        }
    }
}
