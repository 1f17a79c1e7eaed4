package org.jetsketch.train;

import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.jet.Jets;
import org.jetsketch.jet.Simd;
import org.jetsketch.circuit.BranchMonitor;
import org.jetsketch.circuit.JetWorkspace;

/**
 * Jet training (scheme.md §4): the whole training run with example i's weight replaced by the jet
 * {@code w_i(z) = base_i + z * d_i}, for a block of B directions d at once that share the real
 * part. Example i's loss enters as {@code (1 - w_i(z)) / |batch|}, which is the seed of the
 * reverse pass over jets (Taylor over reverse); the optimizer then runs on jets. The result is the
 * jet-valued model θ(z) = θ_0 + θ_1 z + ... + θ_k z^k for each direction of the block.
 *
 * <p>Parameter jets are stored flat, P jets of {@link Jets#stride()} doubles (layout:
 * {@link org.jetsketch.jet.JetLayout}).
 * Runs the generated jet adjoint code in one workspace reused across steps. Not thread-safe: one
 * per thread.
 */
public final class JetTrainer<E> {
    private final CompiledCircuit<E> circuit;
    private final Dataset<E> data;
    private final Schedule schedule;
    private final Jets jets;
    private final JetWorkspace ws;
    private final BranchMonitor branches;
    private final int params;
    private final int stride;
    private final double[] seed;
    private final double[] loss;
    private final double[] grad;
    private long recordedBytesPerStep;

    public JetTrainer(CompiledCircuit<E> circuit, Dataset<E> data, Schedule schedule, int degree, int directions) {
        this(circuit, data, schedule, degree, directions, Simd.ENABLED);
    }

    /**
     * With the Vector API jet kernels if {@code vectorKernels} and {@link Simd#ENABLED}, else the
     * scalar ones ({@link Jets#Jets(int, int, boolean)}): the same bits, only the speed differs.
     */
    public JetTrainer(CompiledCircuit<E> circuit, Dataset<E> data, Schedule schedule, int degree, int directions,
            boolean vectorKernels) {
        Weights.checkSchedule(schedule, data.size());
        this.circuit = circuit;
        this.data = data;
        this.schedule = schedule;
        this.jets = new Jets(degree, directions, vectorKernels);
        this.params = circuit.layout().size();
        this.stride = jets.stride();
        this.ws = circuit.newJetWorkspace(jets);
        this.branches = new BranchMonitor(jets);
        ws.branches = branches;
        this.seed = new double[stride];
        this.loss = new double[stride];
        this.grad = new double[params * stride];
    }

    public Jets jets() { return jets; }

    /**
     * Trains along the directions of the block. {@code directionRe[b * n + i]} and
     * {@code directionIm[b * n + i]} are direction b's coefficient for example i; {@code base}
     * (null: all 0) is a real weight vector the expansion is taken around.
     *
     * @return the trained parameter jets, P x stride doubles
     */
    public double[] train(double[] initial, double[] base, double[] directionRe, double[] directionIm) {
        int n = data.size();
        int blocks = jets.directions();
        Weights.check(base, n);
        if (directionRe.length != blocks * n || directionIm.length != blocks * n) {
            throw new IllegalArgumentException("direction arrays must have " + blocks + " x " + n + " entries, got "
                    + directionRe.length + " and " + directionIm.length);
        }
        if (initial.length != params) {
            throw new IllegalArgumentException("initial parameters have length " + initial.length + ", expected " + params);
        }
        branches.reset();
        double[] theta = jets.constants(initial);
        double[][] state = new double[circuit.stateArrays()][params * stride];
        int k = jets.degree();
        for (int step = 0; step < schedule.steps(); step++) {
            ws.loadParameters(theta);
            ws.resetRecordedBytes();
            int[] batch = schedule.batch(step);
            for (int i : batch) {
                double weightSeed = (1.0 - (base == null ? 0.0 : base[i])) / batch.length;
                boolean moves = false;
                for (int b = 0; b < blocks && k > 0; b++) {
                    moves |= directionRe[b * n + i] != 0.0 || directionIm[b * n + i] != 0.0;
                }
                if (weightSeed == 0.0 && !moves) continue; // contributes exactly nothing
                seedJet(weightSeed, directionRe, directionIm, i, batch.length);
                circuit.lossAndGradient(ws, data.get(i), seed, 0, loss, 0);
            }
            recordedBytesPerStep = Math.max(recordedBytesPerStep, ws.recordedBytes());
            java.util.Arrays.fill(grad, 0.0);
            ws.addGradient(grad);
            circuit.step(ws, theta, grad, state, step, schedule.steps());
        }
        return theta;
    }

    /** The loss's adjoint seed for example i: (1 - w_i(z)) / |batch|, w_i(z) = base_i + z d_i. */
    private void seedJet(double weightSeed, double[] directionRe, double[] directionIm, int i, int batchSize) {
        int n = data.size();
        int k = jets.degree();
        java.util.Arrays.fill(seed, 0.0);
        seed[0] = weightSeed;
        if (k == 0) return;
        for (int b = 0; b < jets.directions(); b++) {
            jets.layout().setFirstOrder(seed, 0, b, -directionRe[b * n + i] / batchSize,
                    -directionIm[b * n + i] / batchSize);
        }
    }

    /**
     * The most bytes one training step's forward sweeps recorded for their reverse sweeps (the
     * high-water mark of the workspace's stacks), over the steps run so far.
     */
    public long recordedBytesPerStep() { return recordedBytesPerStep; }

    /**
     * The jet of a measurement on parameter jets {@code theta}: writes {@link Jets#stride()} doubles
     * into {@code out} at {@code offset}.
     */
    public void measure(BoundMeasurement measurement, double[] theta, double[] out, int offset) {
        Weights.checkCircuit(measurement, circuit);
        if (theta.length != params * stride) {
            throw new IllegalArgumentException("parameter jets have length " + theta.length + ", expected "
                    + params * stride);
        }
        ws.loadParameters(theta);
        measurement.evaluate(ws, out, offset);
    }

    /**
     * Where the branch decisions of the last {@link #train} (and of every {@link #measure} since)
     * could switch, per direction of the block: see {@link BranchMonitor}. Site ids name source
     * positions through {@link CompiledCircuit#branchSite}.
     */
    public BranchMonitor branches() { return branches; }

    public CompiledCircuit<E> circuit() { return circuit; }

    public Schedule schedule() { return schedule; }

    public Dataset<E> data() { return data; }
}
