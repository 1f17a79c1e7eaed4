package com.example.counts;

import org.jetsketch.dsl.Circuit;
import org.jetsketch.dsl.Grads;
import org.jetsketch.dsl.Loss;
import org.jetsketch.dsl.Measurement;
import org.jetsketch.dsl.Param;
import org.jetsketch.dsl.Params;
import org.jetsketch.dsl.TrainingStep;

/**
 * Poisson regression (log link) by full-batch gradient descent: the rate is exp(b + w·x) and an
 * example's loss is the negative log-likelihood exp(z) − y·z (up to a constant). The processor
 * generates {@code PoissonRegression_Circuit} from this class.
 */
@Circuit
public class PoissonRegression {
    static final double LEARNING_RATE = 0.2;

    @Param final double[] w;
    @Param double bias;

    public PoissonRegression(int features) {
        this.w = new double[features];
    }

    @Loss
    double loss(Count c) {
        double z = logRate(c.x());
        return Math.exp(z) - c.events() * z;
    }

    /** The expected number of events at x. */
    @Measurement
    double expectedCount(double[] x) {
        return Math.exp(logRate(x));
    }

    double logRate(double[] x) {
        double z = bias;
        for (int j = 0; j < x.length; j++) z += w[j] * x[j];
        return z;
    }

    @TrainingStep
    static void gradientDescent(@Params double[] p, @Grads double[] g) {
        for (int i = 0; i < p.length; i++) p[i] -= LEARNING_RATE * g[i];
    }
}
