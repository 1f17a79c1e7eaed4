package org.jetsketch.train;

import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.jet.Jets;
import org.jetsketch.tape.BranchMonitor;
import org.jetsketch.tape.JetTape;

/**
 * Jet training (scheme.md §4): the whole training run with example i's weight replaced by the jet
 * {@code w_i(z) = base_i + z * d_i}, for a block of B directions d at once that share the real
 * part. Example i's loss enters as {@code (1 - w_i(z)) / |batch|}, which is the seed of the
 * reverse pass over jets (Taylor over reverse); the optimizer then runs on jets. The result is the
 * jet-valued model θ(z) = θ_0 + θ_1 z + ... + θ_k z^k for each direction of the block.
 *
 * <p>Parameter jets are stored flat, P jets of {@link Jets#stride()} doubles (layout: {@link org.jetsketch.jet.JetLayout}).
 * Reuses one tape and one kernel workspace across steps. Not thread-safe: one per thread.
 */
public final class JetTrainer<E> {
    private final CompiledCircuit<E> circuit;
    private final Dataset<E> data;
    private final Schedule schedule;
    private final Jets jets;
    private final JetTape tape;
    private final int params;
    private final int stride;
    private final int[] paramSlots;
    private final int[] gradSlots;
    private final int[][] stateSlots;
    private final double[] staging;

    public JetTrainer(CompiledCircuit<E> circuit, Dataset<E> data, Schedule schedule, int degree, int directions) {
        if (schedule.examples() != data.size()) {
            throw new IllegalArgumentException("schedule is for " + schedule.examples() + " examples, dataset has "
                    + data.size());
        }
        this.circuit = circuit;
        this.data = data;
        this.schedule = schedule;
        this.jets = new Jets(degree, directions);
        this.params = circuit.layout().size();
        this.stride = jets.stride();
        this.tape = new JetTape(jets, params);
        this.paramSlots = new int[params];
        this.gradSlots = new int[params];
        this.stateSlots = new int[circuit.stateArrays()][params];
        this.staging = new double[params * stride];
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
        tape.branches.reset();
        double[] theta = new double[params * stride];
        for (int p = 0; p < params; p++) jets.constant(initial[p], theta, p * stride);
        double[][] state = new double[stateSlots.length][params * stride];
        int k = jets.degree();
        for (int step = 0; step < schedule.steps(); step++) {
            tape.clear();
            tape.loadParameters(theta);
            tape.clearAdjoints(0, params + 1);
            int[] batch = schedule.batch(step);
            for (int i : batch) {
                double seed = (1.0 - (base == null ? 0.0 : base[i])) / batch.length;
                boolean moves = false;
                for (int b = 0; b < blocks && k > 0; b++) {
                    moves |= directionRe[b * n + i] != 0.0 || directionIm[b * n + i] != 0.0;
                }
                if (seed == 0.0 && !moves) continue; // contributes exactly nothing
                int mark = tape.mark();
                int loss = circuit.loss(tape, data.get(i));
                tape.clearAdjoints(mark, tape.top());
                int o = loss * stride;
                tape.adj[o] = seed;
                if (k > 0) {
                    for (int b = 0; b < blocks; b++) {
                        jets.layout().setFirstOrder(tape.adj, o, b, -directionRe[b * n + i] / batch.length,
                                -directionIm[b * n + i] / batch.length);
                    }
                }
                circuit.reverse(tape);
                tape.reset(mark);
            }
            update(theta, state, step);
        }
        return theta;
    }

    private void update(double[] theta, double[][] state, int step) {
        tape.recording(false); // the step is never reversed
        int grads = tape.reserve(params);
        // the gradient is the parameters' adjoint jets, slots 1..P
        System.arraycopy(tape.adj, stride, tape.val, grads * stride, params * stride);
        for (int p = 0; p < params; p++) {
            paramSlots[p] = p + 1;
            gradSlots[p] = grads + p;
        }
        for (int s = 0; s < stateSlots.length; s++) {
            int first = tape.inputs(state[s]);
            for (int p = 0; p < params; p++) stateSlots[s][p] = first + p;
        }
        circuit.step(tape, paramSlots, gradSlots, stateSlots, step, schedule.steps());
        double[] v = tape.val;
        for (int p = 0; p < params; p++) System.arraycopy(v, paramSlots[p] * stride, theta, p * stride, stride);
        for (int s = 0; s < stateSlots.length; s++) {
            for (int p = 0; p < params; p++) System.arraycopy(v, stateSlots[s][p] * stride, state[s], p * stride, stride);
        }
        tape.clear();
    }

    /**
     * The jet of a measurement on parameter jets {@code theta}: writes {@link Jets#stride()} doubles
     * into {@code out} at {@code offset}.
     */
    public void measure(BoundMeasurement measurement, double[] theta, double[] out, int offset) {
        Weights.checkCircuit(measurement, circuit);
        tape.clear();
        tape.loadParameters(theta);
        int slot = measurement.evaluate(tape);
        System.arraycopy(tape.val, slot * stride, out, offset, stride);
        tape.clear();
    }

    /**
     * Where the branch decisions of the last {@link #train} (and of every {@link #measure} since)
     * could switch, per direction of the block: see {@link BranchMonitor}. Site ids name source
     * positions through {@link CompiledCircuit#branchSite}.
     */
    public BranchMonitor branches() { return tape.branches; }

    public CompiledCircuit<E> circuit() { return circuit; }

    public Schedule schedule() { return schedule; }

    public Dataset<E> data() { return data; }
}
