package org.jetsketch.circuits;

import java.util.List;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;

/**
 * The Mlp circuit's training written by hand over Commons Math {@link DerivativeStructure}: the
 * independent oracle for the generated jet code. Gradients are derived by hand (backpropagation of
 * a tanh layer and softmax cross-entropy), so the oracle shares nothing with the compiler.
 * Parameters are in the circuit's flat layout: w1 [H][I], b1 [H], w2 [C][H], b2 [C].
 */
final class MlpOracle {
    private final int inputs;
    private final int hidden;
    private final int classes;

    MlpOracle(int inputs, int hidden, int classes) {
        this.inputs = inputs;
        this.hidden = hidden;
        this.classes = classes;
    }

    int size() { return hidden * inputs + hidden + classes * hidden + classes; }

    private int w1(int h, int i) { return h * inputs + i; }

    private int b1(int h) { return hidden * inputs + h; }

    private int w2(int c, int h) { return hidden * inputs + hidden + c * hidden + h; }

    private int b2(int c) { return hidden * inputs + hidden + classes * hidden + c; }

    /** Adds scale * d(loss of s)/d(theta) into grad; returns the loss. */
    DerivativeStructure accumulateGradient(DerivativeStructure[] theta, Sample s, DerivativeStructure scale,
            DerivativeStructure[] grad) {
        DerivativeStructure[] h = new DerivativeStructure[hidden];
        for (int j = 0; j < hidden; j++) {
            DerivativeStructure a = theta[b1(j)];
            for (int i = 0; i < inputs; i++) a = a.add(theta[w1(j, i)].multiply(s.x()[i]));
            h[j] = a.tanh();
        }
        DerivativeStructure[] z = new DerivativeStructure[classes];
        for (int c = 0; c < classes; c++) {
            DerivativeStructure a = theta[b2(c)];
            for (int j = 0; j < hidden; j++) a = a.add(theta[w2(c, j)].multiply(h[j]));
            z[c] = a;
        }
        DerivativeStructure[] p = softmax(z);
        DerivativeStructure loss = p[s.label()].log().negate();
        DerivativeStructure[] dh = new DerivativeStructure[hidden];
        for (int j = 0; j < hidden; j++) dh[j] = scale.getField().getZero();
        for (int c = 0; c < classes; c++) {
            DerivativeStructure dz = c == s.label() ? p[c].subtract(1.0) : p[c];
            dz = dz.multiply(scale);
            grad[b2(c)] = grad[b2(c)].add(dz);
            for (int j = 0; j < hidden; j++) {
                grad[w2(c, j)] = grad[w2(c, j)].add(dz.multiply(h[j]));
                dh[j] = dh[j].add(dz.multiply(theta[w2(c, j)]));
            }
        }
        for (int j = 0; j < hidden; j++) {
            DerivativeStructure da = dh[j].multiply(h[j].multiply(h[j]).negate().add(1.0));
            grad[b1(j)] = grad[b1(j)].add(da);
            for (int i = 0; i < inputs; i++) grad[w1(j, i)] = grad[w1(j, i)].add(da.multiply(s.x()[i]));
        }
        return loss;
    }

    DerivativeStructure[] softmax(DerivativeStructure[] z) {
        double max = z[0].getValue();
        for (DerivativeStructure x : z) max = Math.max(max, x.getValue());
        DerivativeStructure sum = z[0].getField().getZero();
        DerivativeStructure[] e = new DerivativeStructure[z.length];
        for (int c = 0; c < z.length; c++) {
            e[c] = z[c].subtract(max).exp();
            sum = sum.add(e[c]);
        }
        for (int c = 0; c < z.length; c++) e[c] = e[c].divide(sum);
        return e;
    }

    /** The probability measurement of the circuit. */
    DerivativeStructure probability(DerivativeStructure[] theta, double[] x, int c) {
        DerivativeStructure[] grad = new DerivativeStructure[size()];
        for (int p = 0; p < grad.length; p++) grad[p] = theta[0].getField().getZero();
        DerivativeStructure loss = accumulateGradient(theta, new Sample(x, c), theta[0].getField().getZero(), grad);
        return loss.negate().exp();
    }

    /**
     * Trains with weights {@code w[i]} (DerivativeStructures in the free variables) exactly as the
     * circuit's schedule and Adam do.
     */
    DerivativeStructure[] train(double[] initial, List<Sample> data, int[][] batches, DerivativeStructure[] w) {
        DerivativeStructure zero = w[0].getField().getZero();
        DerivativeStructure[] theta = new DerivativeStructure[size()];
        DerivativeStructure[] m = new DerivativeStructure[size()];
        DerivativeStructure[] v = new DerivativeStructure[size()];
        for (int p = 0; p < theta.length; p++) {
            theta[p] = zero.add(initial[p]);
            m[p] = zero;
            v[p] = zero;
        }
        int steps = batches.length;
        for (int step = 0; step < steps; step++) {
            DerivativeStructure[] grad = new DerivativeStructure[size()];
            for (int p = 0; p < grad.length; p++) grad[p] = zero;
            for (int i : batches[step]) {
                DerivativeStructure scale = w[i].negate().add(1.0).divide(batches[step].length);
                accumulateGradient(theta, data.get(i), scale, grad);
            }
            double lr = Mlp.LEARNING_RATE * (1.0 - (double) step / steps);
            double c1 = 1 - Math.pow(Mlp.BETA1, step + 1);
            double c2 = 1 - Math.pow(Mlp.BETA2, step + 1);
            for (int p = 0; p < theta.length; p++) {
                m[p] = m[p].multiply(Mlp.BETA1).add(grad[p].multiply(1 - Mlp.BETA1));
                v[p] = v[p].multiply(Mlp.BETA2).add(grad[p].multiply(grad[p]).multiply(1 - Mlp.BETA2));
                DerivativeStructure mHat = m[p].divide(c1);
                DerivativeStructure vHat = v[p].divide(c2);
                theta[p] = theta[p].subtract(mHat.multiply(lr).divide(vHat.add(Mlp.EPSILON).sqrt()));
            }
        }
        return theta;
    }
}
