package org.jetsketch.circuits;

import org.jetsketch.dsl.Circuit;
import org.jetsketch.dsl.Grads;
import org.jetsketch.dsl.Loss;
import org.jetsketch.dsl.Measurement;
import org.jetsketch.dsl.Param;
import org.jetsketch.dsl.Params;
import org.jetsketch.dsl.State;
import org.jetsketch.dsl.TrainingStep;

/**
 * Logistic-style regression trained by momentum SGD with gradient clipping: the global norm of
 * the gradient is clipped to {@link #CLIP} before the update. The clip is a branch of the training
 * step on an active value (the norm), so the adjoint of training must replay it: on the steps
 * where the norm exceeds the clip the update is C·g/‖g‖, whose derivative differs from g's.
 */
@Circuit
public class ClippedRegression {
    public static final double CLIP = 0.6;
    public static final double LEARNING_RATE = 0.4;
    public static final double MOMENTUM = 0.5;

    @Param final double[] w;
    @Param double bias;

    public ClippedRegression(double[] initial, double bias) {
        this.w = initial.clone();
        this.bias = bias;
    }

    @Loss
    double loss(Sample s) {
        double z = bias;
        for (int j = 0; j < w.length; j++) z += w[j] * s.x()[j];
        double y = s.label() > 0 ? 1.0 : 0.0;
        return Math.log1p(Math.exp(z)) - y * z + 0.01 * z * z;
    }

    @Measurement
    double logit(double[] x) {
        double z = bias;
        for (int j = 0; j < w.length; j++) z += w[j] * x[j];
        return z;
    }

    /** The logit's excess over a threshold, or 0: not differentiable where the logit equals the threshold. */
    @Measurement
    double excess(double[] x, double threshold) {
        return Math.max(logit(x) - threshold, 0.0);
    }

    @TrainingStep
    static void clippedMomentum(@Params double[] p, @Grads double[] g, @State double[] velocity) {
        double norm2 = 0.0;
        for (int i = 0; i < g.length; i++) norm2 += g[i] * g[i];
        double norm = Math.sqrt(norm2);
        double scale = 1.0;
        if (norm > CLIP) scale = CLIP / norm;
        for (int i = 0; i < p.length; i++) {
            velocity[i] = MOMENTUM * velocity[i] + scale * g[i];
            p[i] -= LEARNING_RATE * velocity[i];
        }
    }
}
