package org.jetsketch.testing;

import org.jetsketch.dsl.Circuit;
import org.jetsketch.dsl.Grads;
import org.jetsketch.dsl.Loss;
import org.jetsketch.dsl.Measurement;
import org.jetsketch.dsl.Param;
import org.jetsketch.dsl.Params;
import org.jetsketch.dsl.TrainingStep;

/**
 * The mean of the targets by full-batch gradient descent, clamped at {@code cap} after every step:
 * the clamp is a branch decision on an active value (a {@code min}). With weights t·1_D the
 * iterates are known in closed form ({@link #iterate}), so where the clamp would first switch is
 * too.
 */
@Circuit
public class CappedMean {
    static final double LEARNING_RATE = 0.5;

    @Param double theta;

    final double cap;

    public CappedMean(double cap) {
        this.cap = cap;
    }

    public record Target(double y) {}

    @Loss
    double loss(Target p) {
        double r = theta - p.y();
        return 0.5 * r * r;
    }

    @Measurement
    double value() {
        return theta;
    }

    @TrainingStep
    void descend(@Params double[] p, @Grads double[] g) {
        p[0] = Math.min(p[0] - LEARNING_RATE * g[0], cap);
    }

    /**
     * θ after {@code steps} unclamped steps from 0 with example weights 1 − t on {@code deleted}:
     * θ_{s+1} = θ_s − lr·(a θ_s − b) with a = Σ(1 − w_i)/n, b = Σ(1 − w_i) y_i / n.
     */
    static double iterate(double[] y, int[] deleted, double t, int steps) {
        double a = 0, b = 0;
        boolean[] gone = new boolean[y.length];
        for (int d : deleted) gone[d] = true;
        for (int i = 0; i < y.length; i++) {
            double keep = gone[i] ? 1 - t : 1;
            a += keep / y.length;
            b += keep * y[i] / y.length;
        }
        double theta = 0;
        for (int s = 0; s < steps; s++) theta -= LEARNING_RATE * (a * theta - b);
        return theta;
    }
}
