package org.jetsketch.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.predict.DeletionEstimator;
import org.jetsketch.predict.ExactDirection;
import org.jetsketch.predict.ExactDirectionCurve;
import org.jetsketch.predict.SketchTables;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.sketch.Sketcher;
import org.jetsketch.circuit.BranchMonitor;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.ExactInfluence;
import org.jetsketch.train.JetTrainer;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;

/**
 * The entry point of jetsketch's test assertions: a compiled circuit, its training data and
 * schedule, and how to sketch them.
 *
 * <pre>{@code
 * Deletions<Point> deletions = Deletions.of(circuit, data, Schedule.fullBatch(data.size(), 100));
 * deletions.assertThatDeleting(outliers).changes(circuit.slope()).byAtLeast(0.5);        // exact, one direction
 * deletions.noSingleExample().changes(circuit.prediction(probe)).byMoreThan(0.05);       // leave-one-out guard
 * deletions.sketched().assertThatDeletingEach(a, b, c).changes(m).byLessThan(0.1);      // random sketches, 99% CI
 * }</pre>
 *
 * <p>Two kinds of check. <b>Exact</b> ({@link #assertThatDeleting}, {@link #noSingleExample}) run
 * one jet training along the real direction 1_D (scheme §7): the Taylor coefficients of
 * t ↦ f(t·1_D) are exact, so the degree-d value has no sampling error, only truncation; it is the
 * right default for a unit test, and {@code confirmedByRetraining()} checks it against the ground
 * truth too. <b>Statistical</b> ({@link #sketched()}) use m random-direction sketches (§4–§5),
 * which answer any number of deletion sets at once with a standard error; they pass only when the
 * whole confidence interval satisfies the bound.
 *
 * <p>Options are set before the first assertion that needs them; sketches are made once per
 * configuration and reused by every assertion (and across builds, with a {@link SketchCache}).
 * Thread-safe.
 */
public final class Deletions<E> {

    /** The two-sided 99% normal quantile, the default z of statistical checks. */
    public static final double Z_99 = 2.5758293035489004;

    /** Directions per jet pass when sketching: they share the real part (faster); results do not depend on it. */
    private static final int DIRECTIONS_PER_PASS = 8;

    private final CompiledCircuit<E> circuit;
    private final Dataset<E> data;
    private final Schedule schedule;
    private double[] initial;
    private long seed = 1;
    private int degree = 3;
    private int directions = 200;
    private double z = Z_99;
    private int threads = Runtime.getRuntime().availableProcessors();
    private SketchCache cache;
    private Function<? super E, ?> exampleKey;

    private Trainer<E> trainer;
    private final Map<String, SketchKey> keys = new HashMap<>();
    private final Map<String, SketchStore> stores = new HashMap<>();
    private final Map<String, DeletionEstimator> estimators = new HashMap<>();

    private Deletions(CompiledCircuit<E> circuit, Dataset<E> data, Schedule schedule) {
        this.circuit = Objects.requireNonNull(circuit, "circuit");
        this.data = Objects.requireNonNull(data, "data");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        if (schedule.examples() != data.size()) {
            throw new IllegalArgumentException("the schedule is for " + schedule.examples()
                    + " examples, the data set has " + data.size());
        }
    }

    /** Deletion assertions for {@code circuit} trained on {@code data} with {@code schedule}. */
    public static <E> Deletions<E> of(CompiledCircuit<E> circuit, List<E> data, Schedule schedule) {
        return new Deletions<>(circuit, Dataset.of(Objects.requireNonNull(data, "data")), schedule);
    }

    /** Deletion assertions for {@code circuit} trained on {@code data} with {@code schedule}. */
    public static <E> Deletions<E> of(CompiledCircuit<E> circuit, Dataset<E> data, Schedule schedule) {
        return new Deletions<>(circuit, data, schedule);
    }

    // ------------------------------------------------------------------------------------------
    // Options

    /** Training starts from {@code theta} (P values) instead of the circuit's initial parameters. */
    public synchronized Deletions<E> initialParameters(double[] theta) {
        Objects.requireNonNull(theta, "initial parameters");
        int p = circuit.layout().size();
        if (theta.length != p) {
            throw new IllegalArgumentException("initial parameters have length " + theta.length + ", the circuit has P = "
                    + p + " (" + circuit.layout().describe() + ")");
        }
        for (int i = 0; i < p; i++) {
            if (!Double.isFinite(theta[i])) {
                throw new IllegalArgumentException("initial parameter " + i + " is not finite: " + theta[i]);
            }
        }
        this.initial = theta.clone();
        return this;
    }

    /** The seed of the random sketch directions (default 1). */
    public synchronized Deletions<E> seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** k: the degree of the sketches and the default degree of every check (default 3). */
    public synchronized Deletions<E> degree(int k) {
        if (k < 1) throw new IllegalArgumentException("degree must be >= 1, got " + k);
        this.degree = k;
        return this;
    }

    /** m: the number of random sketch directions of statistical checks (default 200). */
    public synchronized Deletions<E> directions(int m) {
        if (m < 2) throw new IllegalArgumentException("directions must be >= 2 (a standard error needs two), got " + m);
        this.directions = m;
        return this;
    }

    /** The z of statistical checks' confidence intervals, estimate ± z·SE (default {@link #Z_99}). */
    public synchronized Deletions<E> z(double z) {
        if (!(z > 0) || !Double.isFinite(z)) throw new IllegalArgumentException("z must be finite and > 0, got " + z);
        this.z = z;
        return this;
    }

    /** Sets z to the two-sided normal quantile of {@code level}, e.g. 0.95 gives z = 1.96. */
    public synchronized Deletions<E> confidence(double level) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("confidence level must be in (0, 1), got " + level);
        }
        this.z = new NormalDistribution().inverseCumulativeProbability(0.5 + level / 2);
        return this;
    }

    /** Threads used for sketching and coefficient tables (default: the available processors). */
    public synchronized Deletions<E> threads(int t) {
        if (t < 1) throw new IllegalArgumentException("threads must be >= 1, got " + t);
        this.threads = t;
        return this;
    }

    /**
     * Keeps sketches in {@code cache} (from {@link SketchCacheExtension}, or {@link SketchCache#at})
     * so that later builds reuse them; without a cache they live in a temporary directory for the
     * life of the JVM.
     */
    public synchronized Deletions<E> cache(SketchCache cache) {
        this.cache = Objects.requireNonNull(cache, "cache");
        return this;
    }

    /**
     * How the sketch cache identifies an example, for example types it cannot read itself
     * (records, arrays, strings, numbers and collections of them need nothing): a value whose
     * {@code toString()} changes whenever the example does.
     */
    public synchronized Deletions<E> exampleKey(Function<? super E, ?> key) {
        this.exampleKey = Objects.requireNonNull(key, "exampleKey");
        return this;
    }

    // ------------------------------------------------------------------------------------------
    // Assertions

    /** Exact checks on deleting D: {@code assertThatDeleting(D).changes(m).byLessThan(eps)}. */
    public DeletionAssert<E> assertThatDeleting(int... deletionSet) {
        int[] d = checkSet(deletionSet);
        return new DeletionAssert<>(this, d);
    }

    /** The leave-one-out guard: {@code noSingleExample().changes(m).byMoreThan(eps)}, exact per example. */
    public SingleExampleAssert<E> noSingleExample() {
        return new SingleExampleAssert<>(this);
    }

    /** Statistical checks from m random sketches of degree k, for many deletion sets at once. */
    public SketchedDeletions<E> sketched() {
        return new SketchedDeletions<>(this);
    }

    // ------------------------------------------------------------------------------------------
    // Machinery shared by the assertions

    CompiledCircuit<E> circuit() { return circuit; }

    int examples() { return data.size(); }

    Schedule schedule() { return schedule; }

    synchronized int degree() { return degree; }

    synchronized int directions() { return directions; }

    synchronized long seed() { return seed; }

    synchronized double z() { return z; }

    synchronized double[] initial() { return initial != null ? initial.clone() : circuit.initialParameters(); }

    /** One line naming the circuit, the data and the schedule. */
    String setting() {
        return "circuit " + circuit.circuitName() + " (P = " + circuit.layout().size() + "), n = " + data.size()
                + " examples, schedule " + schedule.descriptor();
    }

    /** The exact Taylor coefficients c_0..c_k of t ↦ f(t·v) (one jet training along v). */
    ExactDirectionCurve exactCurve(double[] v, int k, BoundMeasurement m) {
        checkMeasurement(m);
        return ExactDirection.run(circuit, data, schedule, initial(), v, k, m);
    }

    /**
     * The exact curves along many real directions, {@link #DIRECTIONS_PER_PASS} per jet pass
     * (they share the real part, the ordinary training).
     */
    List<ExactDirectionCurve> exactCurves(double[][] directions, int k, BoundMeasurement m) {
        checkMeasurement(m);
        return ExactDirection.runBatch(circuit, data, schedule, initial(), directions, k, DIRECTIONS_PER_PASS, m);
    }

    /** ∂f/∂w_i for every example: one backward sweep through training (the adjoint of training). */
    ExactInfluence.Influence firstOrder(BoundMeasurement m) {
        checkMeasurement(m);
        return new ExactInfluence<>(circuit, data, schedule).initial(initial()).run(m);
    }

    /** Where the training's branch decisions could first switch along v: the bound and its source position. */
    record BranchBound(double radius, String site) {}

    /** One jet training along v, watched by the runtime's branch monitor. */
    BranchBound branchBound(double[] v, int k) {
        JetTrainer<E> trainer = new JetTrainer<>(circuit, data, schedule, k, 1);
        trainer.train(initial(), null, v, new double[v.length]);
        BranchMonitor monitor = trainer.branches();
        int site = monitor.site(0);
        return new BranchBound(monitor.radius(0), site < 0 ? "" : circuit.branchSite(site));
    }

    /** f(w): the measurement after ordinary training with weights w (null: all 0). */
    synchronized double trained(BoundMeasurement m, double[] w) {
        checkMeasurement(m);
        if (trainer == null) trainer = new Trainer<>(circuit, data, schedule);
        return trainer.measure(m, trainer.train(initial(), w));
    }

    /** The estimator of {@code m} over this configuration's sketches (made or read once). */
    DeletionEstimator estimator(BoundMeasurement m) {
        checkMeasurement(m);
        String key;
        SketchStore store;
        synchronized (this) {
            store = store();
            key = store.directory() + "\n" + m.description();
            DeletionEstimator e = estimators.get(key);
            if (e != null) return e;
        }
        DeletionEstimator e;
        try {
            e = DeletionEstimator.cached(SketchTables.table(store, m, threads));
        } catch (IOException ex) {
            throw new UncheckedIOException("reading the sketches in " + store.directory() + " for " + m.description(), ex);
        }
        synchronized (this) {
            estimators.put(key, e);
        }
        return e;
    }

    /** How the sketches are made, in one line (for messages). */
    synchronized String sketchDescription() {
        return "m = " + directions + " random directions of degree k = " + degree + ", seed " + seed;
    }

    private SketchStore store() {
        // the key costs an ordinary training and a pass over the data: once per configuration
        String config = seed + " " + degree + " " + directions + " " + SketchKey.digest(initial()) + " "
                + System.identityHashCode(exampleKey);
        SketchKey key = keys.get(config);
        if (key == null) {
            key = SketchKey.of(circuit, data, schedule, initial(), seed, degree, directions, exampleKey, this::trained0);
            keys.put(config, key);
        }
        SketchStore s = stores.get(key.text());
        if (s != null) return s;
        try {
            SketchCache c = cache != null ? cache : SketchCache.temporary();
            SketchKey k = key;
            s = c.obtain(key, dir -> new Sketcher<>(circuit, data, schedule)
                    .degree(degree)
                    .directions(directions)
                    .seed(seed)
                    .threads(threads)
                    .directionsPerPass(DIRECTIONS_PER_PASS)
                    .initialParameters(initial())
                    .dataDigest(k.dataDigest())
                    .run(dir));
        } catch (IOException e) {
            throw new UncheckedIOException("sketching " + circuit.circuitName() + " (" + sketchDescription() + ")", e);
        }
        stores.put(key.text(), s);
        return s;
    }

    /** θ_0, the parameters after ordinary training (part of the cache key: it catches hyperparameters). */
    private synchronized double[] trained0() {
        if (trainer == null) trainer = new Trainer<>(circuit, data, schedule);
        return trainer.train(initial(), null);
    }

    private void checkMeasurement(BoundMeasurement m) {
        Objects.requireNonNull(m, "measurement");
        if (m.circuit() != circuit) {
            throw new IllegalArgumentException("measurement " + m.description() + " belongs to another circuit instance ("
                    + m.circuit().circuitName() + "); take it from the circuit passed to Deletions.of");
        }
    }

    int[] checkSet(int[] deletionSet) {
        Objects.requireNonNull(deletionSet, "deletion set");
        ExactDirection.indicator(data.size(), deletionSet); // range and repeats, with a clear message
        int[] d = deletionSet.clone();
        java.util.Arrays.sort(d);
        return d;
    }

    static Path createTemporaryDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Deletions[%s]", setting());
    }
}
