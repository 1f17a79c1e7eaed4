package org.jetsketch.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.circuit.JetWorkspace;
import org.jetsketch.circuit.RealWorkspace;
import org.jetsketch.jet.JetLayout;
import org.jetsketch.jet.Jets;
import org.jetsketch.circuit.BranchMonitor;

/**
 * The exact first-order effect of every training example on measurements: the gradient
 * ∂f/∂w of f(w) = φ(θ_T(w)) with respect to all n data weights (scheme.md §2: example i's loss
 * enters as (1 − w_i)·ℓ_i), by reverse mode through the whole training run — the adjoint of
 * training. The first-order prediction of deleting a set D is f(0) + Σ_{i∈D} ∂f/∂w_i, and the
 * leave-one-out change of example i is ∂f/∂w_i; no sketch and no random direction is involved, so
 * there is no sampling error, only the truncation of the Taylor series at degree 1.
 *
 * <h2>The backward sweep</h2>
 * Training is θ_{t+1}, s_{t+1} = S(θ_t, s_t, g_t) with g_t = Σ_{i∈B_t} (1 − w_i) ∇ℓ_i(θ_t) / |B_t|.
 * With λ = ∇φ(θ_T) and σ = 0 (the adjoints of the parameters and of the optimizer state), for
 * t = T−1 … 0:
 * <ol>
 *   <li>the training step's generated adjoint ({@link CompiledCircuit#stepAdjoint}) turns (λ, σ)
 *       into the adjoints of θ_t and s_t and gives ḡ, the adjoint of g_t;</li>
 *   <li>one degree-1 jet pass of the loss over the batch with the parameters θ_t + ε ḡ (a real
 *       direction, data weights real: forward over reverse) gives, per example, the ε-coefficient
 *       of its loss, ∇ℓ_i(θ_t)·ḡ, so ∂f/∂w_i −= ∇ℓ_i(θ_t)·ḡ / |B_t|; and, as the ε-coefficient of
 *       the batch gradient, the Hessian-vector product H_t ḡ, which is added to λ.</li>
 * </ol>
 * Several measurements share each jet pass: two of them per complex direction (one as its real
 * part, the other as its imaginary part), the directions of one block (their real part is the
 * ordinary training step).
 *
 * <h2>Memory: checkpointing</h2>
 * The sweep needs θ_t, s_t and g_t in reverse order. When all T of them fit the memory budget they
 * are kept from the one forward run. Otherwise the forward run keeps a checkpoint (θ, s) every
 * {@code k} steps, and each segment is recomputed from its checkpoint into a buffer of k steps
 * just before it is swept backwards: ⌈T/k⌉ checkpoints plus k steps in memory, one extra forward
 * run in time; k is chosen to minimise that memory. The recomputation repeats the forward run bit
 * for bit (same schedule, same generated code), so the result does not depend on the budget.
 *
 * <p>Deterministic: one thread, the same operations in the same order for any budget. Not
 * thread-safe: one instance per thread.
 */
public final class ExactInfluence<E> {
    /**
     * The default memory budget of the trajectory: 64 MiB. Small on purpose: recomputing the
     * forward run once costs one ordinary training, and on microgpt (1000 steps, 128 MiB kept
     * whole) checkpoints every 25 steps (7 MiB) measured faster than keeping everything
     * ({@code ./jetsketch influence-bench}: 8.1 against 10.6 ordinary trainings), the segments
     * staying in cache.
     */
    public static final long DEFAULT_MEMORY_BUDGET = 64L << 20;

    private final CompiledCircuit<E> circuit;
    private final Dataset<E> data;
    private final Schedule schedule;
    private double[] initial;
    private double[] base;
    private long memoryBudget = DEFAULT_MEMORY_BUDGET;

    public ExactInfluence(CompiledCircuit<E> circuit, Dataset<E> data, Schedule schedule) {
        Weights.checkSchedule(schedule, data.size());
        this.circuit = circuit;
        this.data = data;
        this.schedule = schedule;
        this.initial = circuit.initialParameters();
    }

    /** Trains from {@code theta0} instead of the circuit's initial parameters. */
    public ExactInfluence<E> initial(double[] theta0) {
        if (theta0.length != circuit.layout().size()) {
            throw new IllegalArgumentException("initial parameters have length " + theta0.length + ", expected "
                    + circuit.layout().size());
        }
        this.initial = theta0.clone();
        return this;
    }

    /**
     * The weight vector the gradient is taken at (null, the default: w = 0, ordinary training). At
     * w = 1_{D'} the result is the gradient after the deletion of D'.
     */
    public ExactInfluence<E> at(double[] w) {
        Weights.check(w, data.size());
        this.base = w == null ? null : w.clone();
        return this;
    }

    /**
     * The most bytes the kept trajectory (parameters, optimizer state and gradients of the steps, or
     * checkpoints and one segment) may take; beyond it segments are recomputed from checkpoints.
     */
    public ExactInfluence<E> memoryBudget(long bytes) {
        if (bytes <= 0) throw new IllegalArgumentException("memory budget must be positive, got " + bytes + " bytes");
        this.memoryBudget = bytes;
        return this;
    }

    /** How the trajectory is kept: every {@code interval} steps a checkpoint, and {@code bytes} at most. */
    public record Plan(int steps, int interval, int checkpoints, long bytes, boolean recomputes) {}

    /**
     * The checkpointing plan for this run's budget.
     *
     * @throws IllegalArgumentException if even the least memory checkpointing needs exceeds the budget
     */
    public Plan plan() {
        int steps = schedule.steps();
        long p = circuit.layout().size();
        int states = circuit.stateArrays();
        long stepBytes = 8L * p * (2 + states);       // θ_t, s_t, g_t
        long checkpointBytes = 8L * p * (1 + states); // θ, s
        // each kind is one Java array: at most MAX_ARRAY doubles
        if (steps == 0 || (long) steps * stepBytes <= memoryBudget && (long) steps * stepBytes / 8 <= MAX_ARRAY) {
            return new Plan(steps, Math.max(steps, 1), 0, (long) steps * stepBytes, false);
        }
        int best = -1;
        long least = Long.MAX_VALUE;
        for (int k = 1; k <= steps; k++) {
            long bytes = ceilDiv(steps, k) * checkpointBytes + k * stepBytes;
            boolean fits = k * stepBytes / 8 <= MAX_ARRAY && ceilDiv(steps, k) * checkpointBytes / 8 <= MAX_ARRAY;
            if (fits && bytes < least) {
                least = bytes;
                best = k;
            }
        }
        if (best < 0) {
            throw new IllegalArgumentException(steps + " steps of " + p + " parameters and " + states
                    + " state arrays are too many for one checkpoint level (each kept segment and the checkpoints"
                    + " must fit a Java array of " + MAX_ARRAY + " doubles)");
        }
        if (least > memoryBudget) {
            throw new IllegalArgumentException("a memory budget of " + mib(memoryBudget) + " is too small for "
                    + steps + " steps of " + p + " parameters and " + states + " state arrays: the trajectory needs "
                    + mib((long) steps * stepBytes) + " kept whole and at least " + mib(least)
                    + " with checkpoints every " + best + " steps");
        }
        return new Plan(steps, best, (int) ceilDiv(steps, best), least, true);
    }

    /** The most doubles one Java array holds (with the VM's header margin). */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private static long ceilDiv(long a, long b) { return (a + b - 1) / b; }

    private static String mib(long bytes) { return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0); }

    /**
     * ∂f/∂w for each measurement, from one backward sweep through training.
     *
     * @throws IllegalArgumentException if a measurement belongs to another circuit or the budget is too small
     */
    public Influence run(List<BoundMeasurement> measurements) {
        if (measurements.isEmpty()) throw new IllegalArgumentException("at least one measurement is needed");
        for (BoundMeasurement m : measurements) Weights.checkCircuit(m, circuit);
        Plan plan = plan();
        return new Sweep(measurements, plan).run();
    }

    /** {@link #run(List)} for one measurement or a few. */
    public Influence run(BoundMeasurement... measurements) { return run(List.of(measurements)); }

    /** One run's state: the trajectory store, the workspaces and the adjoints. */
    private final class Sweep {
        private final List<BoundMeasurement> measurements;
        private final Plan plan;
        private final int nm;
        private final int p;
        private final int states;
        private final int n;
        private final Trainer<E> trainer;
        private final RealWorkspace realWs;
        private final Jets jets;
        private final JetLayout layout;
        private final JetWorkspace jetWs;
        private final BranchMonitor branches;
        private final int stride;
        // The trajectory, flat (one allocation each, nothing per step): checkpoint c holds θ then the
        // state arrays at checkpoints[c·(1+S)·P ..]; step a of the kept segment holds θ_t, the state
        // arrays s_t, then g_t at segment[a·(2+S)·P ..].
        private final double[] checkpoints;
        private final double[] segment;
        private final int checkpointStride;
        private final int stepStride;
        // adjoints, one row per measurement
        private final double[][] lambda;
        private final double[][][] sigma;
        private final double[][] gBar;
        private final double[][] dw;
        // scratch for the step adjoint and the jet pass
        private final double[] theta;
        private final double[] grad;
        private final double[][] state;
        private final double[] thetaJets;
        private final double[] seed;
        private final double[] lossJet;
        private final double[] gradJets;
        private int nonDifferentiableSteps;
        private int firstNonDifferentiableStep = -1;
        private String nonDifferentiableSite;

        Sweep(List<BoundMeasurement> measurements, Plan plan) {
            this.measurements = measurements;
            this.plan = plan;
            this.nm = measurements.size();
            this.p = circuit.layout().size();
            this.states = circuit.stateArrays();
            this.n = data.size();
            this.trainer = new Trainer<>(circuit, data, schedule);
            this.realWs = circuit.newRealWorkspace();
            this.jets = new Jets(1, (nm + 1) / 2);
            this.layout = jets.layout();
            this.jetWs = circuit.newJetWorkspace(jets);
            this.branches = new BranchMonitor(jets);
            jetWs.branches = branches;
            this.stride = jets.stride();
            int segments = plan.recomputes() ? plan.checkpoints() : 0;
            int kept = plan.recomputes() ? plan.interval() : plan.steps();
            this.checkpointStride = (1 + states) * p;
            this.stepStride = (2 + states) * p;
            this.checkpoints = new double[Math.multiplyExact(segments, checkpointStride)];
            this.segment = new double[Math.multiplyExact(kept, stepStride)];
            this.lambda = new double[nm][p];
            this.sigma = new double[nm][states][p];
            this.gBar = new double[nm][p];
            this.dw = new double[nm][n];
            this.theta = new double[p];
            this.grad = new double[p];
            this.state = new double[states][p];
            this.thetaJets = new double[p * stride];
            this.seed = new double[stride];
            this.lossJet = new double[stride];
            this.gradJets = new double[p * stride];
        }

        Influence run() {
            long start = System.nanoTime();
            // forward: train, keeping the whole trajectory or the checkpoints
            double[] th = initial.clone();
            double[][] st = new double[states][p];
            double[] g = new double[p];
            int steps = plan.steps();
            for (int t = 0; t < steps; t++) {
                if (plan.recomputes()) {
                    if (t % plan.interval() == 0) save(th, st, checkpoints, (t / plan.interval()) * checkpointStride);
                } else {
                    save(th, st, segment, t * stepStride);
                }
                trainer.gradient(th, base, t, g);
                if (!plan.recomputes()) System.arraycopy(g, 0, segment, t * stepStride + (1 + states) * p, p);
                trainer.update(th, g, st, t);
            }
            double[] values = new double[nm];
            String[] measurementTies = new String[nm];
            for (int b = 0; b < nm; b++) {
                realWs.loadParameters(th);
                values[b] = measurements.get(b).gradient(realWs, lambda[b]);
                measurementTies[b] = tieAlong(measurements.get(b), th, lambda[b]);
            }
            // backward, segment by segment from the last
            int segments = plan.recomputes() ? plan.checkpoints() : 1;
            long recomputed = 0;
            for (int seg = segments - 1; seg >= 0; seg--) {
                int from = plan.recomputes() ? seg * plan.interval() : 0;
                int to = plan.recomputes() ? Math.min(steps, from + plan.interval()) : steps;
                if (plan.recomputes()) {
                    restore(checkpoints, seg * checkpointStride, th, st);
                    for (int t = from; t < to; t++) {
                        int at = (t - from) * stepStride;
                        save(th, st, segment, at);
                        trainer.gradient(th, base, t, g);
                        System.arraycopy(g, 0, segment, at + (1 + states) * p, p);
                        trainer.update(th, g, st, t);
                        recomputed++;
                    }
                }
                for (int t = to - 1; t >= from; t--) backwardStep(t, t - from);
            }
            long nanos = System.nanoTime() - start;
            return new Influence(measurements.stream().map(BoundMeasurement::description).toList(), values, dw,
                    Arrays.asList(measurementTies), plan, recomputed, nanos, nonDifferentiableSteps,
                    firstNonDifferentiableStep, nonDifferentiableSite);
        }

        /**
         * Where measurement {@code m} decides a branch exactly at its switch at θ_T along its own
         * gradient (so it is not differentiable there and the gradient is one-sided), or null.
         */
        private String tieAlong(BoundMeasurement m, double[] th, double[] direction) {
            for (int q = 0; q < p; q++) {
                int o = q * stride;
                jets.constant(th[q], thetaJets, o);
                layout.setFirstOrder(thetaJets, o, 0, direction[q], 0.0);
            }
            jetWs.loadParameters(thetaJets);
            branches.reset();
            m.evaluate(jetWs, lossJet, 0);
            return branches.radius(0) == 0.0 ? circuit.branchSite(branches.site(0)) : null;
        }

        /**
         * Where measurement b's tangent is in the first-order coefficient of the jet at {@code o}.
         * Two real directions share one complex direction: at degree 1 every jet operation
         * multiplies the first-order coefficient by real numbers only (c_1 = f'(a_0)·a_1, or
         * a_0 b_1 + b_0 a_1), so its real and imaginary parts are two independent tangents,
         * computed by the same operations as two separate passes (the same bits), at the price of
         * one complex direction.
         */
        private int tangent(int o, int b) {
            return b % 2 == 0 ? layout.re(o, 1, b / 2) : layout.im(o, 1, b / 2);
        }

        /** θ, then the state arrays, into {@code into} from {@code at}. */
        private void save(double[] th, double[][] st, double[] into, int at) {
            System.arraycopy(th, 0, into, at, p);
            for (int j = 0; j < states; j++) System.arraycopy(st[j], 0, into, at + (1 + j) * p, p);
        }

        /** The inverse of {@link #save}. */
        private void restore(double[] from, int at, double[] th, double[][] st) {
            System.arraycopy(from, at, th, 0, p);
            for (int j = 0; j < states; j++) System.arraycopy(from, at + (1 + j) * p, st[j], 0, p);
        }

        /** Step t of the backward sweep; its θ_t, s_t, g_t are at {@code at} in the segment. */
        private void backwardStep(int t, int at) {
            int steps = plan.steps();
            // 1. the step's adjoint, per measurement: (λ, σ) ← adjoints before the step, ḡ
            for (int b = 0; b < nm; b++) {
                int o = at * stepStride;
                restore(segment, o, theta, state);
                System.arraycopy(segment, o + (1 + states) * p, grad, 0, p);
                Arrays.fill(gBar[b], 0.0);
                circuit.stepAdjoint(realWs, theta, grad, state, t, steps, lambda[b], gBar[b], sigma[b]);
            }
            // 2. one degree-1 jet pass along ḡ (one direction per measurement): per-example
            // directional derivatives and the Hessian-vector products
            int thetaAt = at * stepStride;
            for (int q = 0; q < p; q++) {
                int o = q * stride;
                jets.constant(segment[thetaAt + q], thetaJets, o);
                for (int b = 0; b < nm; b += 2) {
                    layout.setFirstOrder(thetaJets, o, b / 2, gBar[b][q], b + 1 < nm ? gBar[b + 1][q] : 0.0);
                }
            }
            jetWs.loadParameters(thetaJets);
            branches.reset();
            int[] batch = schedule.batch(t);
            double size = batch.length;
            for (int i : batch) {
                double weightSeed = (1.0 - (base == null ? 0.0 : base[i])) / size;
                jets.constant(weightSeed, seed, 0);
                circuit.lossAndGradient(jetWs, data.get(i), seed, 0, lossJet, 0);
                for (int b = 0; b < nm; b++) dw[b][i] -= lossJet[tangent(0, b)] / size;
            }
            Arrays.fill(gradJets, 0.0);
            jetWs.addGradient(gradJets);
            for (int b = 0; b < nm; b++) {
                double[] l = lambda[b];
                for (int q = 0; q < p; q++) l[q] += gradJets[tangent(q * stride, b)];
            }
            for (int b = 0; b < nm; b++) {
                if (branches.radius(b / 2) == 0.0) {
                    nonDifferentiableSteps++;
                    if (firstNonDifferentiableStep < 0 || t < firstNonDifferentiableStep) {
                        firstNonDifferentiableStep = t;
                        nonDifferentiableSite = circuit.branchSite(branches.site(b / 2));
                    }
                    break;
                }
            }
        }
    }

    /**
     * The result of a backward sweep: for each measurement its value at the trained parameters and
     * ∂f/∂w_i for every example.
     *
     * @param descriptions              the measurements, in order
     * @param values                    f(w) at the weights the gradient was taken at
     * @param derivatives               derivatives[m][i] = ∂f_m/∂w_i
     * @param measurementTies           per measurement, where it decides a branch exactly at its
     *                                  switch at the trained parameters (not differentiable there:
     *                                  its gradient is one-sided), or null
     * @param plan                      how the trajectory was kept
     * @param recomputedSteps           forward steps run again from checkpoints
     * @param nanos                     wall time of the whole run
     * @param nonDifferentiableSteps    steps whose loss took a decision on a tie (a branch exactly at
     *                                  its switch) along some ḡ: there the gradient is one-sided
     * @param firstNonDifferentiableStep the earliest such step, or −1
     * @param nonDifferentiableSite     where in the source, or null
     */
    public record Influence(List<String> descriptions, double[] values, double[][] derivatives,
            List<String> measurementTies, Plan plan,
            long recomputedSteps, long nanos, int nonDifferentiableSteps, int firstNonDifferentiableStep,
            String nonDifferentiableSite) {

        /** ∂f/∂w for measurement {@code m} (a copy). */
        public double[] derivative(int m) { return derivatives[m].clone(); }

        /**
         * The first-order prediction of measurement {@code m} after deleting {@code examples} (each
         * listed once): f + Σ_{i∈D} ∂f/∂w_i, at the weights the gradient was taken at.
         */
        public double firstOrder(int m, int[] examples) {
            double[] d = derivatives[m];
            boolean[] seen = new boolean[d.length];
            double sum = values[m];
            for (int i : examples) {
                if (i < 0 || i >= d.length) {
                    throw new IllegalArgumentException("example " + i + " is not in 0.." + (d.length - 1));
                }
                if (seen[i]) throw new IllegalArgumentException("example " + i + " is listed twice");
                seen[i] = true;
                sum += d[i];
            }
            return sum;
        }

        /** The examples in decreasing order of |∂f_m/∂w_i| (ties by index). */
        public int[] ranking(int m) {
            double[] d = derivatives[m];
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < d.length; i++) order.add(i);
            order.sort((a, b) -> {
                int c = Double.compare(Math.abs(d[b]), Math.abs(d[a]));
                return c != 0 ? c : Integer.compare(a, b);
            });
            return order.stream().mapToInt(Integer::intValue).toArray();
        }
    }
}
