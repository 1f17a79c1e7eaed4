package org.jetsketch.circuits;

import org.jetsketch.dsl.Circuit;
import org.jetsketch.dsl.Grads;
import org.jetsketch.dsl.Loss;
import org.jetsketch.dsl.Measurement;
import org.jetsketch.dsl.Param;
import org.jetsketch.dsl.Params;
import org.jetsketch.dsl.TrainingStep;

/**
 * Decisions behind {@code &&} and {@code ||}: a squared error, a penalty whose helper is only
 * defined for x &gt; 0 and that Java therefore only evaluates behind {@code x > 0 &&}, and a
 * comparison of an active operation behind {@code x < 0 ||}. The generated code must run the
 * helper, and show the compared jets to the branch monitor, only when Java evaluates them: a
 * helper hoisted in front of the {@code &&} computes log(x) for x ≤ 0, and its reverse sweep then
 * adds 0 · NaN to the gradient.
 */
@Circuit
public class GuardedPenalty {
    public static final double LEARNING_RATE = 0.2;

    @Param double w;

    public GuardedPenalty(double start) {
        this.w = start;
    }

    @Loss
    double loss(Sample s) {
        double x = s.x()[0];
        double fit = 0.5 * (w - x) * (w - x);
        if (x > 0 && logTerm(w, x) > 0.1) {
            fit = fit + 0.25 * logTerm(w, x);
        }
        if (x < 0 || w * x > 1.5) {
            fit = fit + 0.1 * w * w;
        }
        return fit;
    }

    /** w² log x: defined for x &gt; 0 only. */
    double logTerm(double v, double x) {
        return v * v * Math.log(x);
    }

    @Measurement
    double weight() {
        return w;
    }

    @TrainingStep
    static void sgd(@Params double[] p, @Grads double[] g) {
        p[0] -= LEARNING_RATE * g[0];
    }
}
