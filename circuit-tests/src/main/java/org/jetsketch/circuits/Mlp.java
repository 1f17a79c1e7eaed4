package org.jetsketch.circuits;

import java.util.Random;
import org.jetsketch.dsl.Circuit;
import org.jetsketch.dsl.Grads;
import org.jetsketch.dsl.Loss;
import org.jetsketch.dsl.Measurement;
import org.jetsketch.dsl.Param;
import org.jetsketch.dsl.Params;
import org.jetsketch.dsl.State;
import org.jetsketch.dsl.Step;
import org.jetsketch.dsl.Steps;
import org.jetsketch.dsl.TrainingStep;

/** A one-hidden-layer tanh MLP classifier with softmax cross-entropy, trained by Adam. */
@Circuit
public class Mlp {
    static final double LEARNING_RATE = 0.05;
    static final double BETA1 = 0.9;
    static final double BETA2 = 0.99;
    static final double EPSILON = 1e-3;

    @Param final double[][] w1;
    @Param final double[] b1;
    @Param final double[][] w2;
    @Param final double[] b2;

    final int classes;

    public Mlp(int inputs, int hidden, int classes, long seed) {
        Random random = new Random(seed);
        this.classes = classes;
        w1 = new double[hidden][inputs];
        b1 = new double[hidden];
        w2 = new double[classes][hidden];
        b2 = new double[classes];
        for (double[] row : w1) for (int j = 0; j < row.length; j++) row[j] = random.nextGaussian() * 0.5;
        for (double[] row : w2) for (int j = 0; j < row.length; j++) row[j] = random.nextGaussian() * 0.5;
        for (int i = 0; i < b1.length; i++) b1[i] = random.nextGaussian() * 0.1;
    }

    @Loss
    double loss(Sample s) {
        double[] logits = forward(s.x());
        return -logSoftmax(logits, s.label());
    }

    @Measurement
    double logit(double[] x, int c) {
        double[] logits = forward(x);
        return logits[c];
    }

    @Measurement
    double probability(double[] x, int c) {
        return Math.exp(logSoftmax(forward(x), c));
    }

    double[] forward(double[] x) {
        double[] h = new double[b1.length];
        for (int i = 0; i < h.length; i++) {
            double a = b1[i];
            for (int j = 0; j < x.length; j++) a += w1[i][j] * x[j];
            h[i] = Math.tanh(a);
        }
        double[] out = new double[classes];
        for (int c = 0; c < classes; c++) {
            double z = b2[c];
            for (int i = 0; i < h.length; i++) z += w2[c][i] * h[i];
            out[c] = z;
        }
        return out;
    }

    static double logSoftmax(double[] logits, int target) {
        double max = logits[0];
        for (int c = 1; c < logits.length; c++) max = Math.max(max, logits[c]);
        double sum = 0;
        for (int c = 0; c < logits.length; c++) sum += Math.exp(logits[c] - max);
        return logits[target] - max - Math.log(sum);
    }

    @TrainingStep
    static void adam(@Params double[] p, @Grads double[] g, @State double[] m, @State double[] v,
                     @Step int step, @Steps int steps) {
        double lr = LEARNING_RATE * (1.0 - (double) step / steps);
        double c1 = 1 - Math.pow(BETA1, step + 1);
        double c2 = 1 - Math.pow(BETA2, step + 1);
        for (int i = 0; i < p.length; i++) {
            m[i] = BETA1 * m[i] + (1 - BETA1) * g[i];
            v[i] = BETA2 * v[i] + (1 - BETA2) * g[i] * g[i];
            double mHat = m[i] / c1;
            double vHat = v[i] / c2;
            p[i] -= lr * mHat / Math.sqrt(vHat + EPSILON);
        }
    }
}
