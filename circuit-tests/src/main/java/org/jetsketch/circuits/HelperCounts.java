package org.jetsketch.circuits;

import org.jetsketch.dsl.Circuit;
import org.jetsketch.dsl.Grads;
import org.jetsketch.dsl.Loss;
import org.jetsketch.dsl.Measurement;
import org.jetsketch.dsl.Param;
import org.jetsketch.dsl.Params;
import org.jetsketch.dsl.TrainingStep;

/**
 * Helpers whose passive results come from comparisons on active values: a boolean stored in a
 * local before the {@code if} that reads it, an int count of the positive entries of an active
 * array, and an int sign used in arithmetic (0.2 · sign(r) · r = 0.2 |r|). Every comparison is a
 * branch decision of the jet code, reported at the line of the helper that makes it.
 */
@Circuit
public class HelperCounts {
    public static final double LEARNING_RATE = 0.2;
    public static final double LIMIT = 1.0;

    @Param final double[] w;
    @Param double b;

    public HelperCounts(double[] w, double b) {
        this.w = w.clone();
        this.b = b;
    }

    @Loss
    double loss(Sample e) {
        double[] z = new double[w.length];
        for (int j = 0; j < w.length; j++) z[j] = w[j] * e.x()[j];
        double r = b - e.label();
        for (int j = 0; j < z.length; j++) r += z[j];
        boolean over = exceeds(r, LIMIT);
        int agreeing = countPositive(z);
        double fit = 0.5 * r * r;
        if (over) fit = fit + 0.5 * (r - LIMIT) * (r - LIMIT);
        if (agreeing >= 2) fit = fit + 0.1 * r;
        return fit + 0.2 * sign(r) * r;
    }

    boolean exceeds(double v, double limit) {
        return v > limit;
    }

    int countPositive(double[] v) {
        int n = 0;
        for (int j = 0; j < v.length; j++) if (v[j] > 0) n++;
        return n;
    }

    int sign(double v) {
        if (v > 0) return 1;
        if (v < 0) return -1;
        return 0;
    }

    @Measurement
    double prediction(double[] x) {
        double p = b;
        for (int j = 0; j < w.length; j++) p += w[j] * x[j];
        return p;
    }

    @TrainingStep
    static void sgd(@Params double[] p, @Grads double[] g) {
        for (int i = 0; i < p.length; i++) p[i] -= LEARNING_RATE * g[i];
    }
}
