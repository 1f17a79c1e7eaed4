package org.jetsketch.circuits;

import org.jetsketch.dsl.Circuit;
import org.jetsketch.dsl.Grads;
import org.jetsketch.dsl.Loss;
import org.jetsketch.dsl.Measurement;
import org.jetsketch.dsl.Param;
import org.jetsketch.dsl.Params;
import org.jetsketch.dsl.TrainingStep;

/**
 * A robust location estimate: one parameter θ, the Huber loss of the residual θ − x_0 of each
 * sample, full-batch gradient descent. Two branch decisions per example and step, both on active
 * values: the sign of the residual (abs) and whether it is inside the quadratic zone. After one
 * step θ is affine in the data weights, so where each decision of the second step switches along
 * t·1_D is known in closed form: the oracle of the branch-switch monitor.
 */
@Circuit
public class HuberLocation {
    public static final double DELTA = 1.0;
    public static final double LEARNING_RATE = 0.5;

    @Param double theta;

    public HuberLocation(double start) {
        this.theta = start;
    }

    @Loss
    double loss(Sample s) {
        double r = theta - s.x()[0];
        double a = Math.abs(r);
        if (a <= DELTA) return 0.5 * r * r;
        return DELTA * (a - 0.5 * DELTA);
    }

    @Measurement
    double location() {
        return theta;
    }

    @TrainingStep
    static void sgd(@Params double[] p, @Grads double[] g) {
        p[0] -= LEARNING_RATE * g[0];
    }
}
