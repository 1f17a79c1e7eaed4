package org.jetsketch.circuits;

import org.jetsketch.dsl.Circuit;
import org.jetsketch.dsl.Grads;
import org.jetsketch.dsl.Loss;
import org.jetsketch.dsl.Measurement;
import org.jetsketch.dsl.Param;
import org.jetsketch.dsl.Params;
import org.jetsketch.dsl.TrainingStep;

/**
 * {@link PositivePart} with both branches the same function (the squared residual, once with a
 * zero term added): the helper still decides on an active value, but the loss is least squares
 * whichever way it decides. Training is then a polynomial in the data weights (of degree s after s
 * full-batch steps, for the linear measurement), so its exact-direction curve of that degree is
 * retraining even beyond the point where a decision switches.
 */
@Circuit
public class PositivePartSmooth {
    public static final double LEARNING_RATE = 0.2;

    @Param final double[] w;
    @Param double b;

    public PositivePartSmooth(double[] w, double b) {
        this.w = w.clone();
        this.b = b;
    }

    @Loss
    double loss(Sample e) {
        double s = lin(e.x());
        double r = s - e.label();
        if (positive(r)) return r * r + 0.0 * r;
        return r * r;
    }

    double lin(double[] x) {
        double s = b;
        for (int j = 0; j < x.length; j++) s += w[j] * x[j];
        return s;
    }

    boolean positive(double v) {
        return v > 0;
    }

    @Measurement
    double prediction(double[] x) {
        return lin(x);
    }

    @TrainingStep
    static void sgd(@Params double[] p, @Grads double[] g) {
        for (int i = 0; i < p.length; i++) p[i] -= LEARNING_RATE * g[i];
    }
}
