package org.jetsketch.circuits;

import org.jetsketch.dsl.Circuit;
import org.jetsketch.dsl.Grads;
import org.jetsketch.dsl.Loss;
import org.jetsketch.dsl.Measurement;
import org.jetsketch.dsl.Param;
import org.jetsketch.dsl.Params;
import org.jetsketch.dsl.TrainingStep;

/**
 * Least squares trained by plain gradient descent. With one full-batch step the trained
 * parameters are affine in the data weights, so a quadratic measurement is a polynomial of degree
 * 2 in the weights: the exactness oracle for jetsketch.
 */
@Circuit
public class LeastSquares {
    static final double LEARNING_RATE = 0.3;

    @Param final double[] w;

    public LeastSquares(double[] initial) {
        this.w = initial.clone();
    }

    @Loss
    double loss(Sample s) {
        double r = -s.label();
        for (int j = 0; j < w.length; j++) r += w[j] * s.x()[j];
        return 0.5 * r * r;
    }

    /** (w · x)^2: quadratic in the parameters. */
    @Measurement
    double squaredPrediction(double[] x) {
        double p = 0;
        for (int j = 0; j < w.length; j++) p += w[j] * x[j];
        return p * p;
    }

    @TrainingStep
    static void sgd(@Params double[] p, @Grads double[] g) {
        for (int i = 0; i < p.length; i++) p[i] -= LEARNING_RATE * g[i];
    }
}
