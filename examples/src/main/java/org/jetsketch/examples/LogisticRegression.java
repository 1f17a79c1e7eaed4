package org.jetsketch.examples;

import org.jetsketch.dsl.Circuit;
import org.jetsketch.dsl.Fn;
import org.jetsketch.dsl.Grads;
import org.jetsketch.dsl.Loss;
import org.jetsketch.dsl.Measurement;
import org.jetsketch.dsl.Param;
import org.jetsketch.dsl.Params;
import org.jetsketch.dsl.State;
import org.jetsketch.dsl.Step;
import org.jetsketch.dsl.Steps;
import org.jetsketch.dsl.TrainingStep;

/**
 * Binary logistic regression with a small L2 penalty, trained by Adam (bias-corrected moments,
 * linearly decaying learning rate) over shuffled mini-batches for several epochs. Exercises
 * {@link Fn#softplus}, {@link Fn#sigmoid}, optimizer state ({@code @State}), the step counter and
 * a non-linear optimizer (the square root of the second moment).
 */
@Circuit
public class LogisticRegression {
    static final double BETA1 = 0.9;
    static final double BETA2 = 0.99;

    @Param final double[] w;
    @Param double bias;

    /** The L2 penalty per example (it enters each example's loss, so it is weighted with it). */
    final double l2;
    /** Adam's initial learning rate (decays linearly to 0). */
    final double learningRate;
    /** Adam's ε, added to the second moment under the square root. */
    final double epsilon;

    public LogisticRegression(int features, double l2, double learningRate, double epsilon) {
        this.w = new double[features];
        this.l2 = l2;
        this.learningRate = learningRate;
        this.epsilon = epsilon;
    }

    /** Log-loss log(1 + e^z) − y z, plus (l2/2)|w|². */
    @Loss
    double loss(LabeledPoint p) {
        double z = logit(p.x());
        double penalty = 0;
        for (int j = 0; j < w.length; j++) penalty += w[j] * w[j];
        return Fn.softplus(z) - p.label() * z + 0.5 * l2 * penalty;
    }

    /** The log-odds of class 1 at {@code x}. */
    @Measurement
    double logOdds(double[] x) {
        return logit(x);
    }

    /** P(class 1 | x). */
    @Measurement
    double probability(double[] x) {
        return Fn.sigmoid(logit(x));
    }

    /** The log-loss on a held-out example. */
    @Measurement
    double testLoss(double[] x, int label) {
        double z = logit(x);
        return Fn.softplus(z) - label * z;
    }

    double logit(double[] x) {
        double z = bias;
        for (int j = 0; j < x.length; j++) z += w[j] * x[j];
        return z;
    }

    @TrainingStep
    void adam(@Params double[] p, @Grads double[] g, @State double[] m, @State double[] v,
                     @Step int step, @Steps int steps) {
        double lr = learningRate * (1.0 - (double) step / steps);
        double c1 = 1 - Math.pow(BETA1, step + 1);
        double c2 = 1 - Math.pow(BETA2, step + 1);
        for (int i = 0; i < p.length; i++) {
            m[i] = BETA1 * m[i] + (1 - BETA1) * g[i];
            v[i] = BETA2 * v[i] + (1 - BETA2) * g[i] * g[i];
            p[i] -= lr * (m[i] / c1) / Math.sqrt(v[i] / c2 + epsilon);
        }
    }
}
