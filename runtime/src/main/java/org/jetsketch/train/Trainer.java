package org.jetsketch.train;

import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.circuit.RealWorkspace;

/**
 * Ordinary training of a compiled circuit on real numbers, with any data weights: the retraining
 * ground truth. Example i's loss enters step s as {@code (1 - w_i) * loss_i / |batch_s|}; the
 * schedule, the normaliser and the optimizer never change with w (scheme.md §2), so w = 1_D is
 * training with D deleted and w = 0 is ordinary training.
 *
 * <p>Runs the generated adjoint code in one workspace reused across steps: after the first steps
 * nothing is allocated. Not thread-safe.
 */
public final class Trainer<E> {
    private final CompiledCircuit<E> circuit;
    private final Dataset<E> data;
    private final Schedule schedule;
    private final RealWorkspace ws;
    private final int params;
    private double lastLoss;
    private long recordedBytesPerStep;

    public Trainer(CompiledCircuit<E> circuit, Dataset<E> data, Schedule schedule) {
        Weights.checkSchedule(schedule, data.size());
        this.circuit = circuit;
        this.data = data;
        this.schedule = schedule;
        this.params = circuit.layout().size();
        this.ws = circuit.newRealWorkspace();
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
        if (theta.length != params || grad.length != params) {
            throw new IllegalArgumentException("parameters and gradient must have length " + params + ", got "
                    + theta.length + " and " + grad.length);
        }
        ws.loadParameters(theta);
        ws.resetRecordedBytes();
        int[] batch = schedule.batch(step);
        double total = 0;
        for (int i : batch) {
            double seed = (1.0 - (w == null ? 0.0 : w[i])) / batch.length;
            if (seed == 0.0) continue; // a deleted example contributes exactly nothing
            total += seed * circuit.lossAndGradient(ws, data.get(i), seed);
        }
        recordedBytesPerStep = Math.max(recordedBytesPerStep, ws.recordedBytes());
        java.util.Arrays.fill(grad, 0.0);
        ws.addGradient(grad);
        lastLoss = total;
        return total;
    }

    /** One optimizer step: {@code theta} and {@code state} are updated in place. */
    public void update(double[] theta, double[] grad, double[][] state, int step) {
        circuit.step(ws, theta, grad, state, step, schedule.steps());
    }

    /** The weighted batch loss of the last gradient computed. */
    public double lastLoss() { return lastLoss; }

    /**
     * The most bytes one training step's forward sweeps recorded for their reverse sweeps (the
     * high-water mark of the workspace's stacks), over the steps run so far.
     */
    public long recordedBytesPerStep() { return recordedBytesPerStep; }

    /** The measurement's value at {@code theta}. */
    public double measure(org.jetsketch.circuit.BoundMeasurement measurement, double[] theta) {
        Weights.checkCircuit(measurement, circuit);
        if (theta.length != params) {
            throw new IllegalArgumentException("parameters have length " + theta.length + ", expected " + params);
        }
        ws.loadParameters(theta);
        return measurement.evaluate(ws);
    }

    public CompiledCircuit<E> circuit() { return circuit; }

    public Schedule schedule() { return schedule; }

    public Dataset<E> data() { return data; }
}
