package org.jetsketch.examples.quickstart;

import org.jetsketch.dsl.Circuit;
import org.jetsketch.dsl.Fn;
import org.jetsketch.dsl.Grads;
import org.jetsketch.dsl.Loss;
import org.jetsketch.dsl.Measurement;
import org.jetsketch.dsl.Param;
import org.jetsketch.dsl.Params;
import org.jetsketch.dsl.TrainingStep;

/**
 * Logistic regression by mini-batch gradient descent: the first circuit of the README. The
 * processor generates {@code Logistic_Circuit} from it at compile time.
 */
@Circuit
public class Logistic {
    /** One training example: two features and a label, 0 or 1. */
    public record Point(double[] x, int label) {}

    static final double LEARNING_RATE = 0.5;

    @Param final double[] w;   // the parameters: double, double[] or double[][] fields
    @Param double bias;

    public Logistic(int features) {
        w = new double[features];   // shapes and initial values come from this instance
    }

    /** One example's loss, here the log-loss; the example is read-only. */
    @Loss
    double loss(Point p) {
        double z = logit(p.x());
        return Fn.softplus(z) - p.label() * z;
    }

    /** A measurement: any number computed from the trained parameters, here P(label 1 | x). */
    @Measurement
    double probability(double[] x) {
        return Fn.sigmoid(logit(x));
    }

    double logit(double[] x) {
        double z = bias;
        for (int j = 0; j < x.length; j++) z += w[j] * x[j];
        return z;
    }

    /** The optimizer: p are the parameters, g the gradient of the batch's mean loss. */
    @TrainingStep
    static void descend(@Params double[] p, @Grads double[] g) {
        for (int i = 0; i < p.length; i++) p[i] -= LEARNING_RATE * g[i];
    }
}
