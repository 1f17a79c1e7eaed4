package org.jetsketch.examples;

import java.util.Random;
import org.jetsketch.dsl.Circuit;
import org.jetsketch.dsl.Fn;
import org.jetsketch.dsl.Grads;
import org.jetsketch.dsl.Loss;
import org.jetsketch.dsl.Measurement;
import org.jetsketch.dsl.Param;
import org.jetsketch.dsl.Params;
import org.jetsketch.dsl.State;
import org.jetsketch.dsl.TrainingStep;

/**
 * A two-layer classifier: a GELU hidden layer ({@link Fn#gelu}, exact, via erf), a linear output
 * layer and softmax cross-entropy (log-sum-exp shifted by the max logit: a non-smooth max that the
 * jets follow along its real branch), trained by SGD with momentum (one {@code @State} velocity
 * array) over shuffled mini-batches. Parameters are 2-D and 1-D arrays.
 */
@Circuit
public class MlpClassifier {
    @Param final double[][] w1;
    @Param final double[] b1;
    @Param final double[][] w2;
    @Param final double[] b2;

    final int classes;
    final double learningRate;
    final double momentum;

    public MlpClassifier(int inputs, int hidden, int classes, double learningRate, double momentum, long seed) {
        Random random = new Random(seed);
        this.classes = classes;
        this.learningRate = learningRate;
        this.momentum = momentum;
        w1 = new double[hidden][inputs];
        b1 = new double[hidden];
        w2 = new double[classes][hidden];
        b2 = new double[classes];
        double s1 = 1.0 / Math.sqrt(inputs);
        double s2 = 1.0 / Math.sqrt(hidden);
        for (double[] row : w1) for (int j = 0; j < row.length; j++) row[j] = random.nextGaussian() * s1;
        for (double[] row : w2) for (int j = 0; j < row.length; j++) row[j] = random.nextGaussian() * s2;
        for (int i = 0; i < b1.length; i++) b1[i] = random.nextGaussian() * 0.1;
    }

    /** Softmax cross-entropy: −log p(label | x). */
    @Loss
    double loss(LabeledPoint p) {
        return -logSoftmax(forward(p.x()), p.label());
    }

    /** p(c | x). */
    @Measurement
    double probability(double[] x, int c) {
        return Math.exp(logSoftmax(forward(x), c));
    }

    /** The log-odds of class a against class b at x: z_a − z_b. */
    @Measurement
    double logOdds(double[] x, int a, int b) {
        double[] z = forward(x);
        return z[a] - z[b];
    }

    /** The cross-entropy on a held-out example. */
    @Measurement
    double testLoss(double[] x, int label) {
        return -logSoftmax(forward(x), label);
    }

    double[] forward(double[] x) {
        double[] h = new double[b1.length];
        for (int i = 0; i < h.length; i++) {
            double a = b1[i];
            for (int j = 0; j < x.length; j++) a += w1[i][j] * x[j];
            h[i] = Fn.gelu(a);
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
    void sgdMomentum(@Params double[] p, @Grads double[] g, @State double[] velocity) {
        for (int i = 0; i < p.length; i++) {
            velocity[i] = momentum * velocity[i] + g[i];
            p[i] -= learningRate * velocity[i];
        }
    }
}
