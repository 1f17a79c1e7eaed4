package org.jetsketch.circuits;

import org.jetsketch.dsl.Circuit;
import org.jetsketch.dsl.Grads;
import org.jetsketch.dsl.Loss;
import org.jetsketch.dsl.Measurement;
import org.jetsketch.dsl.Param;
import org.jetsketch.dsl.Params;
import org.jetsketch.dsl.TrainingStep;

/**
 * A decision on an active value taken inside a helper that returns a boolean: a linear model whose
 * squared error weighs positive residuals twice. The helper's result is passive (a plain boolean
 * in the jet code too); its comparison is the circuit's only branch decision, reported at the
 * helper's line.
 */
@Circuit
public class PositivePart {
    public static final double LEARNING_RATE = 0.2;

    @Param final double[] w;
    @Param double b;

    public PositivePart(double[] w, double b) {
        this.w = w.clone();
        this.b = b;
    }

    @Loss
    double loss(Sample e) {
        double s = lin(e.x());
        double r = s - e.label();
        if (positive(r)) return r * r;
        return 0.5 * r * r;
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
