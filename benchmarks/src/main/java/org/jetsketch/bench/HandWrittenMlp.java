package org.jetsketch.bench;

import java.util.Arrays;
import org.jetsketch.jet.RealMath;

/**
 * One training step of the MLP circuit of module circuit-tests ({@code org.jetsketch.circuits.Mlp}:
 * tanh hidden layer, softmax cross-entropy, Adam) written by hand in plain Java: the forward pass,
 * its adjoint written out, and the circuit's Adam. The reference the generated ordinary MLP step is
 * timed against ({@code ./jetsketch bench}, key {@code mlp.handWrittenStepMs}), as
 * {@link HandWrittenMicroGpt} is for microgpt.
 *
 * <p><b>Step.</b> A mini-batch: example i enters with the seed (1 − w_i)/|batch| as in
 * {@code Trainer.gradient} (an example whose seed is 0 is skipped), the parameter adjoints
 * accumulate over the batch in its order, then Adam updates θ, m and v in place.
 *
 * <p><b>Order of operations.</b> Every sum is formed in the order the circuit's source forms it,
 * and every adjoint receives its contributions in the order a reverse sweep adds them (the reverse
 * of the uses), so the gradient agrees with the generated one to rounding (tested; measured equal
 * bit for bit).
 *
 * <p><b>Parameters</b> in the circuit's flat order (declaration order, row-major): w1 [hidden][inputs],
 * b1 [hidden], w2 [classes][hidden], b2 [classes]. Allocation-free after construction; not
 * thread-safe.
 */
public final class HandWrittenMlp {
    /** Adam's settings, those of the circuit. */
    static final double LEARNING_RATE = 0.05;
    static final double BETA1 = 0.9;
    static final double BETA2 = 0.99;
    static final double EPSILON = 1e-3;

    private final int inputs;
    private final int hidden;
    private final int classes;
    private final int oB1;
    private final int oW2;
    private final int oB2;
    private final int parameters;

    /** Forward values of the current example. */
    private final double[] h;
    private final double[] logits;
    private final double[] exps;
    /** max over logits[0..c−1] before step c of the running maximum (c ≥ 1). */
    private final double[] runningMax;
    /** Adjoints of the current example. */
    private final double[] gLogits;
    private final double[] gH;

    public HandWrittenMlp(int inputs, int hidden, int classes) {
        if (inputs < 1 || hidden < 1 || classes < 1) {
            throw new IllegalArgumentException("inputs, hidden and classes must be >= 1, got " + inputs + ", " + hidden
                    + ", " + classes);
        }
        this.inputs = inputs;
        this.hidden = hidden;
        this.classes = classes;
        this.oB1 = hidden * inputs;
        this.oW2 = oB1 + hidden;
        this.oB2 = oW2 + classes * hidden;
        this.parameters = oB2 + classes;
        this.h = new double[hidden];
        this.logits = new double[classes];
        this.exps = new double[classes];
        this.runningMax = new double[classes];
        this.gLogits = new double[classes];
        this.gH = new double[hidden];
    }

    /** The number of parameters P. */
    public int parameters() {
        return parameters;
    }

    /**
     * One training step: the gradient of the batch (into {@code grad}), then Adam.
     *
     * @param weights data weights w (null: all 0)
     * @return the weighted batch loss
     */
    public double step(double[] theta, double[][] x, int[] labels, int[] batch, double[] weights, double[] grad,
                       double[] m, double[] v, int step, int steps) {
        double loss = gradient(theta, x, labels, batch, weights, grad);
        adam(theta, grad, m, v, step, steps);
        return loss;
    }

    /**
     * The gradient of Σ_i seed_i·loss_i over the batch, seed_i = (1 − w_i)/|batch|, into
     * {@code grad} (overwritten); returns that weighted loss.
     */
    public double gradient(double[] theta, double[][] x, int[] labels, int[] batch, double[] weights, double[] grad) {
        if (theta.length != parameters || grad.length != parameters) {
            throw new IllegalArgumentException("parameters and gradient must have length " + parameters + ", got "
                    + theta.length + " and " + grad.length);
        }
        Arrays.fill(grad, 0.0);
        double total = 0;
        for (int i : batch) {
            double seed = (1.0 - (weights == null ? 0.0 : weights[i])) / batch.length;
            if (seed == 0.0) continue;
            if (x[i].length != inputs) {
                throw new IllegalArgumentException("example " + i + " has " + x[i].length + " inputs, expected " + inputs);
            }
            total += seed * example(theta, x[i], labels[i], seed, grad);
        }
        return total;
    }

    /** One example's loss, its adjoint with the given seed added to grad. */
    private double example(double[] theta, double[] xi, int label, double seed, double[] grad) {
        // forward: h = tanh(b1 + W1 x), logits = b2 + W2 h
        for (int i = 0; i < hidden; i++) {
            double a = theta[oB1 + i];
            for (int j = 0, w = i * inputs; j < inputs; j++) a = a + theta[w + j] * xi[j];
            h[i] = Math.tanh(a);
        }
        for (int c = 0; c < classes; c++) {
            double z = theta[oB2 + c];
            for (int i = 0, w = oW2 + c * hidden; i < hidden; i++) z = z + theta[w + i] * h[i];
            logits[c] = z;
        }
        // log-softmax of the label
        double max = logits[0];
        for (int c = 1; c < classes; c++) {
            runningMax[c] = max;
            max = max >= logits[c] ? max : logits[c];
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            exps[c] = Math.exp(logits[c] - max);
            sum = sum + exps[c];
        }
        double logSoftmax = (logits[label] - max) - RealMath.log(sum);

        // reverse: loss = −logSoftmax, seeded
        Arrays.fill(gLogits, 0.0);
        Arrays.fill(gH, 0.0);
        double gResult = 0.0 - (0.0 + seed);
        double gTarget = 0.0 + gResult;
        gLogits[label] += gTarget;
        double gMax = 0.0 - gTarget;
        double gSum = 0.0 + (-gTarget) / sum;
        for (int c = classes - 1; c >= 0; c--) {
            double g = gSum * exps[c];
            gLogits[c] += g;
            gMax -= g;
        }
        for (int c = classes - 1; c >= 1; c--) {
            boolean kept = runningMax[c] >= logits[c];
            double g = gMax;
            gMax = 0.0 + (kept ? g : 0.0);
            gLogits[c] += kept ? 0.0 : g;
        }
        gLogits[0] += gMax;
        for (int c = classes - 1; c >= 0; c--) {
            double gz = 0.0 + gLogits[c];
            for (int i = hidden - 1, w = oW2 + c * hidden; i >= 0; i--) {
                grad[w + i] += gz * h[i];
                gH[i] += gz * theta[w + i];
            }
            grad[oB2 + c] += gz;
        }
        for (int i = hidden - 1; i >= 0; i--) {
            double ga = 0.0 + gH[i] * (1.0 - h[i] * h[i]);
            for (int j = inputs - 1, w = i * inputs; j >= 0; j--) grad[w + j] += ga * xi[j];
            grad[oB1 + i] += ga;
        }
        return -logSoftmax;
    }

    /**
     * The circuit's Adam on θ, m, v in place, as plain Java writes it: {@code /} and
     * {@code Math.sqrt} without domain checks, a loop the JIT vectorises (the generated step
     * checks every division and square root; with the arguments in their domains both give the
     * same bits).
     */
    public void adam(double[] theta, double[] grad, double[] m, double[] v, int step, int steps) {
        double lr = LEARNING_RATE * (1.0 - (double) step / steps);
        double c1 = 1 - Math.pow(BETA1, step + 1);
        double c2 = 1 - Math.pow(BETA2, step + 1);
        for (int i = 0; i < parameters; i++) {
            double g = grad[i];
            m[i] = m[i] * BETA1 + g * (1 - BETA1);
            v[i] = v[i] * BETA2 + g * (1 - BETA2) * g;
            double mHat = m[i] / c1;
            double vHat = v[i] / c2;
            theta[i] = theta[i] - mHat * lr / Math.sqrt(vHat + EPSILON);
        }
    }
}
