package org.jetsketch.examples;

import org.jetsketch.dsl.Circuit;
import org.jetsketch.dsl.Grads;
import org.jetsketch.dsl.Loss;
import org.jetsketch.dsl.Measurement;
import org.jetsketch.dsl.Param;
import org.jetsketch.dsl.Params;
import org.jetsketch.dsl.TrainingStep;

/**
 * Least-squares linear regression trained by full-batch gradient descent: the smoothest possible
 * learning algorithm. Every step is affine in the parameters and linear in the data weights, so
 * the trained model is a rational function of the weights and its Taylor series in the deletion
 * weight converges geometrically (ratio: how much of the curvature the deleted set carries).
 */
@Circuit
public class LinearRegression {
    static final double LEARNING_RATE = 0.3;

    @Param final double[] w;
    @Param double bias;

    public LinearRegression(int features) {
        this.w = new double[features];
    }

    /** Half the squared residual. */
    @Loss
    double loss(RegressionPoint p) {
        double r = predict(p.x()) - p.y();
        return 0.5 * r * r;
    }

    /** The model's prediction at {@code x}. */
    @Measurement
    double prediction(double[] x) {
        return predict(x);
    }

    /** The fitted coefficient of feature {@code j}: the slope of the prediction along x_j. */
    @Measurement
    double weight(int j) {
        return w[j];
    }

    /** The squared error on a held-out example. */
    @Measurement
    double squaredError(double[] x, double y) {
        double r = predict(x) - y;
        return r * r;
    }

    double predict(double[] x) {
        double s = bias;
        for (int j = 0; j < x.length; j++) s += w[j] * x[j];
        return s;
    }

    @TrainingStep
    static void gradientDescent(@Params double[] p, @Grads double[] g) {
        for (int i = 0; i < p.length; i++) p[i] -= LEARNING_RATE * g[i];
    }
}
