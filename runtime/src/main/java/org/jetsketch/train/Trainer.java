package org.jetsketch.train;

import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.tape.RealTape;

/**
 * Ordinary training of a compiled circuit on real numbers, with any data weights: the retraining
 * ground truth. Example i's loss enters step s as {@code (1 - w_i) * loss_i / |batch_s|}; the
 * schedule, the normaliser and the optimizer never change with w (scheme.md §2), so w = 1_D is
 * training with D deleted and w = 0 is ordinary training.
 *
 * <p>Reuses one tape across steps: after the first step nothing is allocated. Not thread-safe.
 */
public final class Trainer<E> {
    private final CompiledCircuit<E> circuit;
    private final Dataset<E> data;
    private final Schedule schedule;
    private final RealTape tape;
    private final int params;
    private final int[] paramSlots;
    private final int[] gradSlots;
    private final int[][] stateSlots;
    private double lastLoss;

    public Trainer(CompiledCircuit<E> circuit, Dataset<E> data, Schedule schedule) {
        if (schedule.examples() != data.size()) {
            throw new IllegalArgumentException("schedule is for " + schedule.examples() + " examples, dataset has "
                    + data.size());
        }
        this.circuit = circuit;
        this.data = data;
        this.schedule = schedule;
        this.params = circuit.layout().size();
        this.tape = new RealTape(params);
        this.paramSlots = new int[params];
        this.gradSlots = new int[params];
        this.stateSlots = new int[circuit.stateArrays()][params];
    }

    /** Trains from the circuit's initial parameters with weights {@code w} (null: all 0). */
    public double[] train(double[] w) {
        return train(circuit.initialParameters(), w);
    }

    /** Trains from {@code initial} with weights {@code w} (null: all 0); returns the trained parameters. */
    public double[] train(double[] initial, double[] w) {
        Weights.check(w, data.size());
        if (initial.length != params) {
            throw new IllegalArgumentException("initial parameters have length " + initial.length + ", expected " + params);
        }
        double[] theta = initial.clone();
        double[][] state = new double[circuit.stateArrays()][params];
        double[] grad = new double[params];
        for (int step = 0; step < schedule.steps(); step++) {
            gradient(theta, w, step, grad);
            update(theta, grad, state, step);
        }
        return theta;
    }

    /**
     * The gradient of step {@code step}'s weighted batch loss at {@code theta}, into {@code grad};
     * returns the weighted batch loss.
     */
    public double gradient(double[] theta, double[] w, int step, double[] grad) {
        tape.clear();
        tape.loadParameters(theta);
        tape.clearAdjoints(0, params + 1);
        int[] batch = schedule.batch(step);
        double total = 0;
        for (int i : batch) {
            double seed = (1.0 - (w == null ? 0.0 : w[i])) / batch.length;
            if (seed == 0.0) continue; // a deleted example contributes exactly nothing
            int mark = tape.mark();
            int loss = circuit.loss(tape, data.get(i));
            tape.clearAdjoints(mark, tape.top());
            tape.adj[loss] = seed;
            total += seed * tape.val[loss];
            circuit.reverse(tape);
            tape.reset(mark);
        }
        tape.parameterAdjoints(grad);
        lastLoss = total;
        return total;
    }

    /** One optimizer step: {@code theta} and {@code state} are updated in place. */
    public void update(double[] theta, double[] grad, double[][] state, int step) {
        tape.clear();
        tape.loadParameters(theta);
        tape.recording(false); // the step is never reversed
        int grads = tape.inputs(grad);
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
        for (int p = 0; p < params; p++) theta[p] = v[paramSlots[p]];
        for (int s = 0; s < stateSlots.length; s++) {
            for (int p = 0; p < params; p++) state[s][p] = v[stateSlots[s][p]];
        }
        tape.clear();
    }

    /** The weighted batch loss of the last gradient computed. */
    public double lastLoss() { return lastLoss; }

    /** The measurement's value at {@code theta}. */
    public double measure(org.jetsketch.circuit.BoundMeasurement measurement, double[] theta) {
        Weights.checkCircuit(measurement, circuit);
        tape.clear();
        tape.loadParameters(theta);
        int slot = measurement.evaluate(tape);
        double value = tape.val[slot];
        tape.clear();
        return value;
    }

    public CompiledCircuit<E> circuit() { return circuit; }

    public Schedule schedule() { return schedule; }

    public Dataset<E> data() { return data; }
}
