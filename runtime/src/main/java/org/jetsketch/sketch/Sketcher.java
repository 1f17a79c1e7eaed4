package org.jetsketch.sketch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.jet.Simd;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.JetTrainer;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;
import org.jetsketch.work.Workers;

/**
 * Precomputation (scheme.md §4): m jet trainings of degree k, one per random direction ψ_j on the
 * complex unit sphere, each streamed to a {@link SketchStore} as soon as it is done, so memory
 * does not grow with m. Directions are derived from (seed, j) alone, and every sketch is computed
 * by the same sequence of floating-point operations whatever the thread count, so the same inputs
 * give bit-identical stores with one thread or many. A run into a directory that already holds
 * some of the sketches computes only the missing ones (resume; adding directions later).
 *
 * <p>Directions are trained {@link #directionsPerPass(int)} at a time in one jet pass that shares
 * the real part; a pass covers consecutive indices, and its result does not depend on which
 * other directions share it.
 */
public final class Sketcher<E> {
    private final CompiledCircuit<E> circuit;
    private final Dataset<E> data;
    private final Schedule schedule;
    private int degree = 3;
    private int directions = 16;
    private long seed = 1;
    private int threads = Runtime.getRuntime().availableProcessors();
    /** 0: {@link #defaultDirectionsPerPass}. */
    private int perPass = 0;
    private double[] initial;
    private long dataDigest;
    private StoreLock lock;
    private SketchProgress progress = SketchProgress.NONE;
    private final ThreadLocal<JetTrainer<E>[]> trainers = ThreadLocal.withInitial(() -> newTrainerArray(1));
    private Groups groups;
    /** null: by {@link #vectorKernelsPay}; else as set with {@link #vectorKernels(boolean)}. */
    private Boolean vectorKernels;
    /** {@link #productsPerExample()}, −1 until computed. */
    private long productsPerExample = -1;

    public Sketcher(CompiledCircuit<E> circuit, Dataset<E> data, Schedule schedule) {
        this.circuit = circuit;
        this.data = data;
        this.schedule = schedule;
    }

    public Sketcher<E> degree(int k) {
        if (k < 1) throw new IllegalArgumentException("degree must be >= 1, got " + k);
        this.degree = k;
        return this;
    }

    /**
     * The most directions a store holds, 10^6: sketch files are numbered with six digits
     * ({@code sketch-000000.jss} to {@code sketch-999999.jss}), and a million sketches are far
     * beyond what the estimator needs (its standard error falls as 1/√m; the paper's largest m
     * is 500) and already large on disk (microgpt at degree 3: 201 kB each, 201 GB in all).
     */
    public static final int MAX_DIRECTIONS = 1_000_000;

    /**
     * @throws IllegalArgumentException if m is below 1 or above {@link #MAX_DIRECTIONS}
     */
    public Sketcher<E> directions(int m) {
        if (m < 1 || m > MAX_DIRECTIONS) {
            throw new IllegalArgumentException("directions must be in [1, " + MAX_DIRECTIONS + "], got " + m);
        }
        this.directions = m;
        return this;
    }

    public Sketcher<E> seed(long seed) {
        this.seed = seed;
        return this;
    }

    public Sketcher<E> threads(int t) {
        if (t < 1) throw new IllegalArgumentException("threads must be >= 1, got " + t);
        this.threads = t;
        return this;
    }

    /**
     * How many directions one jet pass carries (they share the real part); default
     * {@link #defaultDirectionsPerPass}. The stored sketches do not depend on it (bit for bit).
     */
    public Sketcher<E> directionsPerPass(int b) {
        if (b < 1 || b > MAX_DIRECTIONS) {
            throw new IllegalArgumentException("directions per pass must be in [1, " + MAX_DIRECTIONS + "], got " + b);
        }
        this.perPass = b;
        return this;
    }

    /**
     * Directions per pass chosen by measurement on microgpt (docs/figures/history.md, "Directions per pass"): up to degree
     * {@value #BATCHED_UP_TO_DEGREE} a pass of {@value #BATCHED_DIRECTIONS} directions costs per
     * direction about half of a single-direction pass (the real parts and every kernel's a_0 work
     * are shared, and the products run over the directions of a coefficient as vectors); up to
     * degree {@value #WIDE_UP_TO_DEGREE}, where the block product is written out for whole vectors
     * of directions, {@value #WIDE_DIRECTIONS} do better still (1.04–1.16 ms per direction-step
     * against 1.10–1.56 ms at 8, alternating runs on the idle machine); at higher degrees the
     * single-direction products, vectorised over the coefficients, are faster. Never so many that
     * fewer passes than threads remain.
     */
    public static int defaultDirectionsPerPass(int degree, int directions, int threads) {
        int b = degree <= WIDE_UP_TO_DEGREE ? WIDE_DIRECTIONS : degree <= BATCHED_UP_TO_DEGREE ? BATCHED_DIRECTIONS : 1;
        int perThread = (directions + threads - 1) / Math.max(1, threads);
        return Math.max(1, Math.min(b, perThread));
    }

    /**
     * The heap, in bytes, that one jet pass of {@code b} directions holds while it runs, from the
     * sizes of its arrays: the parameter-sized jets of {@link JetTrainer} — θ, its gradient, the
     * optimizer's {@link CompiledCircuit#stateArrays() S} state arrays, and the workspace's
     * parameter jets and their adjoints, (4 + S)·P jets — each of 1 + 2·k·b doubles (one real part
     * shared, k complex coefficients per direction), plus the directions (2·b·n doubles) and one
     * sketch (2·k·P doubles). Not counted: the values the forward sweeps record for the reverse
     * sweeps (for microgpt at degree 3 about a tenth of the above), which the caller's margin covers.
     * Microgpt (P = 4192, S = 2) at degree 3: about 1.2 MB per direction of a pass.
     */
    public long passBytes(int b) {
        if (b < 1) throw new IllegalArgumentException("directions per pass must be >= 1, got " + b);
        long params = circuit.layout().size();
        long stride = 1 + 2L * degree * b;
        long jets = (4L + circuit.stateArrays()) * params;
        return Double.BYTES * (jets * stride + 2L * b * data.size() + 2L * degree * params);
    }

    /**
     * The largest number of directions per pass such that {@code concurrentPasses} passes
     * together need at most {@code heapBytes} by {@link #passBytes(int)}; 0 if not even one
     * direction fits.
     */
    public int largestPassFitting(long heapBytes, int concurrentPasses) {
        int lo = 0;
        int hi = MAX_DIRECTIONS;
        while (lo < hi) {
            int mid = (int) (((long) lo + hi + 1) / 2);
            if (passBytes(mid) <= heapBytes / Math.max(1, concurrentPasses)) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /** The directions per pass {@link #run} uses: as set, or {@link #defaultDirectionsPerPass}, never more than m. */
    public int directionsPerPass() {
        return Math.min(passSize(), directions);
    }

    /** How many passes {@link #run} runs at once: its threads, or fewer if there are fewer passes. */
    public int concurrentPasses() {
        int passes = (directions + passSize() - 1) / passSize();
        return Math.max(1, Math.min(threads, passes));
    }

    /** See {@link #defaultDirectionsPerPass}. */
    public static final int WIDE_UP_TO_DEGREE = 3;
    /** See {@link #defaultDirectionsPerPass}. */
    public static final int WIDE_DIRECTIONS = 16;
    /** See {@link #defaultDirectionsPerPass}. */
    public static final int BATCHED_UP_TO_DEGREE = 6;
    /** See {@link #defaultDirectionsPerPass}. */
    public static final int BATCHED_DIRECTIONS = 8;

    /**
     * The least {@link #jetWork} for which a sketch runs on the Vector API jet kernels
     * ({@link #vectorKernelsPay}). Measured 2026-12-06 (docs/design.md, "Which jet kernels a
     * sketch runs on"; 2 cores shared, JDK 17, AVX-512 so 8 doubles per vector, process CPU time,
     * medians): in a fresh JVM a sketch of 300 directions on the vector kernels cost 0.4–0.7 s
     * of CPU more than on the scalar ones (1.89 against 1.46 s for linear), all of it warm-up
     * (logistic: C2 compiles 152 methods instead of 79, 2.85 s of compilation instead of 1.78 s,
     * and until then each vector operation allocates: 3–4 collections instead of 0–1), and once
     * compiled they save about 30 % (rounds of 300 directions in one JVM after warm-up: linear
     * 0.37 against 0.55 s, logistic 0.25 against 0.38 s, mlp 0.75 against 1.13 s). So the
     * examples' sketches (m = 300, degree 3; work 4.6e6 to 1.3e8) were faster on the scalar
     * kernels (mlp broke even at m = 1000, 4.5e8, and won at m = 3000: 10.6 against 13.4 s),
     * while microgpt's 16 directions were faster on the vector kernels at 300 steps (2.7e9 with
     * the CLI's data: 4.4–4.6 s against 6.7–7.1 s, wall), 100 steps (9.1e8: 2.6–2.8 against
     * 3.6–3.7 s) and a little still at 40 steps (3.6e8: 1.9–2.4 against 2.2–2.8 s). The threshold
     * sits between the mlp's m = 300 (2.3 times below) and microgpt's 100 steps (3 times above).
     */
    public static final long VECTOR_KERNELS_MIN_WORK = 300_000_000L;

    /**
     * The expected amount of jet work of a sketch, in complex multiply-adds up to a constant: m
     * directions × the examples the schedule visits (Σ over steps of the batch size) × the jet
     * products one example's loss and gradient makes ({@link #productsPerExample()}) ×
     * k(k + 1)/2 (the complex multiply-adds of one product per direction, which grow with the
     * degree as every nonlinear kernel's recurrence does). Saturates at {@link Long#MAX_VALUE}.
     */
    public static long jetWork(int directions, Schedule schedule, long productsPerExample, int degree) {
        if (directions < 1 || productsPerExample < 0 || degree < 1) {
            throw new IllegalArgumentException("directions and degree must be >= 1 and products per example >= 0,"
                    + " got " + directions + ", " + degree + ", " + productsPerExample);
        }
        long visits = 0;
        for (int step = 0; step < schedule.steps(); step++) visits += schedule.batchOf(step).length;
        double work = (double) directions * visits * productsPerExample * (degree * (degree + 1L) / 2);
        return work >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) work;
    }

    /** How many examples {@link #productsPerExample()} runs. */
    public static final int PROBE_EXAMPLES = 8;

    /**
     * The jet products ({@link org.jetsketch.jet.Jets#products()}) that one example's loss and
     * gradient makes, rounded up from the mean over the first {@value #PROBE_EXAMPLES} examples
     * the schedule visits, run once on degree-1 jets of one direction (scalar kernels) at the
     * initial parameters. The products are the bulk of a large model's jet work (microgpt's
     * matrix products touch each weight once per token) and a count, unlike a time, is the same
     * on every run. Computed on the first call.
     */
    public synchronized long productsPerExample() {
        if (productsPerExample >= 0) return productsPerExample;
        org.jetsketch.jet.Jets probe = new org.jetsketch.jet.Jets(1, 1, false);
        int stride = probe.stride();
        org.jetsketch.circuit.JetWorkspace ws = circuit.newJetWorkspace(probe);
        ws.loadParameters(probe.constants(initial()));
        ws.branches = new org.jetsketch.circuit.BranchMonitor(probe);
        double[] seedJet = new double[stride];
        seedJet[0] = 1.0;
        double[] loss = new double[stride];
        int probed = 0;
        for (int step = 0; step < schedule.steps() && probed < PROBE_EXAMPLES; step++) {
            for (int i : schedule.batchOf(step)) {
                if (probed == PROBE_EXAMPLES) break;
                circuit.lossAndGradient(ws, data.get(i), seedJet, 0, loss, 0);
                probed++;
            }
        }
        productsPerExample = probed == 0 ? 0 : (probe.products() + probed - 1) / probed;
        return productsPerExample;
    }

    /**
     * Whether a sketch of this much {@link #jetWork} is expected to run faster on the Vector API
     * jet kernels than on the scalar ones in a JVM that has not compiled them yet: at least
     * {@link #VECTOR_KERNELS_MIN_WORK}. Both give the same bits.
     */
    public static boolean vectorKernelsPay(long work) {
        return work >= VECTOR_KERNELS_MIN_WORK;
    }

    /**
     * Runs the jet passes on the Vector API kernels ({@code true}, if the JVM has them:
     * {@link Simd#ENABLED}) or on the scalar ones ({@code false}), instead of choosing by
     * {@link #vectorKernelsPay}. The sketches are the same bits either way.
     */
    public Sketcher<E> vectorKernels(boolean use) {
        this.vectorKernels = use;
        return this;
    }

    /**
     * Whether the jet passes run on the Vector API kernels: as set with
     * {@link #vectorKernels(boolean)}, else always with {@code -Djetsketch.simd=true}
     * ({@link Simd#requestedEverywhere}), else by {@link #vectorKernelsPay} of this sketch's
     * {@link #jetWork}; never without {@link Simd#ENABLED}.
     */
    public boolean usesVectorKernels() {
        if (!Simd.ENABLED) return false;
        if (vectorKernels != null) return vectorKernels;
        if (Simd.requestedEverywhere()) return true;
        return vectorKernelsPay(jetWork(directions, schedule, productsPerExample(), degree));
    }

    /** Which jet kernels the passes run on and why, in words (for reports and logs). */
    public String jetKernelsDescription() {
        if (!Simd.ENABLED) return "scalar jet kernels (jdk.incubator.vector not enabled)";
        String why = vectorKernels != null ? "as asked"
                : Simd.requestedEverywhere() ? "-Djetsketch.simd=true"
                : String.format(java.util.Locale.ROOT, "expected jet work %.2g %s %.2g",
                        (double) jetWork(directions, schedule, productsPerExample(), degree),
                        usesVectorKernels() ? ">=" : "<", (double) VECTOR_KERNELS_MIN_WORK);
        return (usesVectorKernels() ? "Vector API jet kernels" : "scalar jet kernels") + " (" + why + ")";
    }

    public Sketcher<E> initialParameters(double[] theta) {
        if (theta.length != circuit.layout().size()) {
            throw new IllegalArgumentException("initial parameters have length " + theta.length + ", expected "
                    + circuit.layout().size());
        }
        this.initial = theta.clone();
        return this;
    }

    /**
     * A 64-bit digest of the training data, recorded in the store header and in every sketch file
     * (e.g. {@link SketchFormat#digest(java.util.List)} of the examples' text). Default 0: none
     * recorded; θ_0, which the run digest covers, still ties the sketches to the data as trained.
     */
    public Sketcher<E> dataDigest(long digest) {
        this.dataDigest = digest;
        return this;
    }

    /**
     * Writes under a writer lock the caller already holds on the directory (and releases itself),
     * e.g. because it writes its own files there first. Default: {@link #run} takes the lock.
     */
    public Sketcher<E> lock(StoreLock heldLock) {
        this.lock = heldLock;
        return this;
    }

    /**
     * Grouped sketches (scheme §9): directions on the unit sphere of C^G, example i weighted by
     * its group's component. Null (the default) or {@link Groups#singletons} is per-example
     * sketching, bit for bit.
     */
    public Sketcher<E> groups(Groups grouping) {
        if (grouping != null && grouping.examples() != data.size()) {
            throw new IllegalArgumentException("the grouping is of " + grouping.examples() + " examples, the dataset has "
                    + data.size());
        }
        this.groups = grouping;
        return this;
    }

    public Sketcher<E> progress(SketchProgress listener) {
        this.progress = listener;
        return this;
    }

    /** The fingerprint stored with sketches: the parameter layout and the generated code. */
    public static long fingerprint(CompiledCircuit<?> circuit) {
        return circuit.layout().layoutHash() * 31 + circuit.codeFingerprint();
    }

    /** The header of the store this sketcher makes. */
    public StoreHeader header() {
        double[] init = initial != null ? initial : circuit.initialParameters();
        return new StoreHeader(circuit.circuitName(), fingerprint(circuit), data.size(), circuit.layout().size(), degree,
                seed, dataDigest, SketchFormat.digest(init), schedule.descriptor(),
                groups == null || groups.isSingletons() ? null : groups);
    }

    /**
     * Makes sure {@code dir} holds sketches 0..m-1: takes the directory's writer lock (unless
     * {@link #lock(StoreLock)} gave one), refuses a store of a different run before any training,
     * trains θ_0 ordinarily, creates or reopens the store, verifies every sketch file already there
     * completely (a damaged one is reported to {@link SketchProgress#recomputing} and computed
     * again), and computes the missing sketches on {@link #threads(int)} threads. The returned
     * store is closed for writing (the lock is released) but can be read.
     */
    public SketchStore run(Path dir) throws IOException {
        if (lock != null) return run(dir, lock);
        try (StoreLock own = StoreLock.acquire(dir)) {
            return run(dir, own);
        }
    }

    private SketchStore run(Path dir, StoreLock held) throws IOException {
        StoreHeader header = header();
        SketchStore.checkCompatible(dir, header);
        progress.phase("training theta_0 (" + schedule.steps() + " ordinary steps)");
        SketchStore store = SketchStore.create(dir, header, theta0(), held);
        if (store.count() > 0) progress.phase("verifying the " + store.count() + " sketch files already stored");
        store.verifyEach();
        java.util.SortedMap<Integer, SketchStoreException> damaged = store.damaged();
        damaged.forEach((j, e) -> progress.recomputing(j, e.getMessage()));
        List<int[]> passes = passes(store::contains, damaged.keySet());
        int alreadyStored = (int) IntStream.range(0, directions).filter(store::contains).count();
        int redo = (int) damaged.keySet().stream().filter(j -> j >= directions).count();
        AtomicInteger done = new AtomicInteger(alreadyStored);
        int total = directions + redo;
        long started = System.nanoTime();
        int stored = alreadyStored;
        if (passes.isEmpty()) {
            progress.update(done.get(), total, 0, 0);
            return store;
        }
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int[] pass : passes) {
            tasks.add(() -> {
                sketchPass(pass, (index, coefficients, branch) -> store.write(index, coefficients, branch));
                int d = done.addAndGet(pass.length);
                double seconds = (System.nanoTime() - started) / 1e9;
                double rate = (d - stored) / Math.max(seconds, 1e-9);
                progress.update(Math.min(d, total), total, rate, (total - d) / rate);
                return null;
            });
        }
        try {
            Workers.runAll(tasks, threads, "jetsketch-sketcher");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("sketching interrupted; the sketches already stored in " + dir + " are kept", e);
        }
        return store;
    }

    /** θ_0: ordinary training from the initial parameters, as {@link #run} stores it in the header. */
    public double[] theta0() {
        return new Trainer<>(circuit, data, schedule).train(initial(), null);
    }

    private double[] initial() {
        return initial != null ? initial : circuit.initialParameters();
    }

    /**
     * The jet passes {@link #run} computes when the sketches for which {@code stored} holds are
     * there and those in {@code damaged} must be computed again: for each block of
     * {@link #directionsPerPass(int)} consecutive indices (starting at multiples of it) below
     * {@link #directions(int)}, the missing indices, ascending; then each damaged index beyond
     * them alone. Another process that computes these passes with {@link #sketchPass} writes the
     * same sketches as {@link #run}.
     */
    public List<int[]> passes(IntPredicate stored, java.util.Set<Integer> damaged) {
        List<int[]> passes = new ArrayList<>();
        int passSize = passSize();
        for (int start = 0; start < directions; start += passSize) {
            int[] missing = IntStream.range(start, Math.min(directions, start + passSize))
                    .filter(j -> !stored.test(j)).toArray();
            if (missing.length > 0) passes.add(missing);
        }
        for (int j : new java.util.TreeSet<>(damaged)) {
            if (j >= directions) passes.add(new int[] {j}); // damaged sketches beyond the m asked for
        }
        return passes;
    }

    /** The directions per pass: as set, or {@link #defaultDirectionsPerPass}. */
    private int passSize() {
        return perPass > 0 ? perPass : defaultDirectionsPerPass(degree, directions, threads);
    }

    /** Where {@link #sketchPass} hands each finished sketch. */
    @FunctionalInterface
    public interface Sink {
        /**
         * Sketch {@code index}'s θ_1..θ_k (layout of {@link SketchStore#write}) and what the
         * branch-switch monitor saw while computing it.
         */
        void accept(int index, double[] coefficients, BranchSwitch branch) throws IOException;
    }

    /**
     * One jet pass over the directions {@code pass} (from {@link #passes}), each sketch handed to
     * {@code sink} when the pass is done. Thread-safe; reuses one trainer per thread and pass size.
     */
    public void sketchPass(int[] pass, Sink sink) throws IOException {
        JetTrainer<E>[] cache = trainers.get();
        if (cache.length < pass.length) {
            cache = Arrays.copyOf(cache, pass.length);
            trainers.set(cache);
        }
        JetTrainer<E> trainer = cache[pass.length - 1];
        if (trainer == null) {
            trainer = new JetTrainer<>(circuit, data, schedule, degree, pass.length, usesVectorKernels());
            cache[pass.length - 1] = trainer;
        }
        sketch(trainer, sink, initial(), pass, data.size(), circuit.layout().size());
    }

    @SuppressWarnings("unchecked")
    private static <E> JetTrainer<E>[] newTrainerArray(int size) {
        return (JetTrainer<E>[]) new JetTrainer<?>[size];
    }

    /**
     * The weights sqrt(C(n+r−1, r)), r = 0..k (n the dimension of the directions: examples, or
     * groups), under which a sketch's branch-switch radius is one in
     * the norm of the weight vector. A direction ψ is a unit vector of C^n, and the coefficient
     * d_r(ψ) = ⟨D_r, ψ^⊗r⟩ of a decided difference has E|d_r(ψ)|² = ‖D_r‖² / C(n+r−1, r) (the
     * identity behind the estimator, scheme §5); so sqrt(C(n+r−1, r))·|d_r(ψ)| estimates ‖D_r‖,
     * which bounds |⟨D_r, w^⊗r⟩| ≤ ‖D_r‖·‖w‖^r for every weight vector w. The radius the monitor
     * finds with these weights is then (an estimate of) how far, in ‖w‖, the weights can move in
     * the worst direction before a decision can switch; for w = t·1_D that is t = radius / sqrt|D|.
     * The same normalisation as the stability profile (scheme §6).
     */
    static double[] branchScale(int n, int k) {
        double[] scale = new double[k + 1];
        double logC = 0;
        scale[0] = 1;
        for (int r = 1; r <= k; r++) {
            logC += Math.log((n + r - 1.0) / r);
            scale[r] = Math.min(Math.exp(0.5 * logC), Double.MAX_VALUE);
        }
        return scale;
    }

    /** One jet pass over the directions {@code pass}, each handed to {@code sink}. */
    private void sketch(JetTrainer<E> trainer, Sink sink, double[] init, int[] pass, int n, int params)
            throws IOException {
        int b = pass.length;
        double[] re = new double[b * n];
        double[] im = new double[b * n];
        int dimension = groups == null ? n : groups.count();
        double[] psi = new double[2 * dimension];
        for (int d = 0; d < b; d++) {
            Directions.direction(seed, pass[d], dimension, psi);
            if (groups != null) {
                groups.expand(psi, re, im, d * n);
            } else {
                for (int i = 0; i < n; i++) {
                    re[d * n + i] = psi[2 * i];
                    im[d * n + i] = psi[2 * i + 1];
                }
            }
        }
        trainer.branches().scale(branchScale(dimension, degree));
        double[] theta = trainer.train(init, null, re, im);
        double[] coefficients = new double[2 * degree * params];
        for (int d = 0; d < b; d++) {
            trainer.jets().layout().toSketch(theta, params, d, coefficients);
            sink.accept(pass[d], coefficients, BranchSwitch.of(circuit, trainer.branches(), d));
        }
    }
}
