package org.jetsketch.testing;

import org.jetsketch.dsl.Circuit;
import org.jetsketch.dsl.Grads;
import org.jetsketch.dsl.Loss;
import org.jetsketch.dsl.Measurement;
import org.jetsketch.dsl.Param;
import org.jetsketch.dsl.Params;
import org.jetsketch.dsl.TrainingStep;

/**
 * A straight line y = a + b·x fitted by full-batch gradient descent on half the squared error.
 * Run long enough it reaches the (weighted) least-squares fit, whose value with any example
 * deleted is known in closed form ({@link LineOracle}): the oracle of this module's tests.
 */
@Circuit
public class Line {
    @Param double a;
    @Param double b;

    /** The step size: a hyperparameter held in an instance field (the code fingerprint does not see it). */
    final double learningRate;

    public Line(double learningRate) {
        this.learningRate = learningRate;
    }

    public record Point(double x, double y) {}

    @Loss
    double loss(Point p) {
        double r = a + b * p.x() - p.y();
        return 0.5 * r * r;
    }

    @Measurement
    double slope() {
        return b;
    }

    @Measurement
    double prediction(double x) {
        return a + b * x;
    }

    @TrainingStep
    void descend(@Params double[] p, @Grads double[] g) {
        for (int i = 0; i < p.length; i++) p[i] -= learningRate * g[i];
    }
}
