package org.jetsketch.circuits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.predict.ExactDirection;
import org.jetsketch.predict.ExactDirectionCurve;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * {@link GuardedPenalty}: a helper behind {@code x > 0 &&} and a compared operation behind
 * {@code x < 0 ||} run only when Java evaluates them, in the ordinary and in the jet code. Oracles:
 * the gradient and the two full-batch steps written out by hand, and the branch monitor's radius
 * in closed form (after step 1, w(t) = A + B t along t·1_D, so every step-2 decision is a
 * polynomial in t of degree at most 2 whose coefficients are known).
 */
class GuardedConditionsTest {
    static final double[] X = {-1.0, 0.0, 0.6, 2.5};
    static final double START = 0.8;

    static List<Sample> data() {
        List<Sample> out = new ArrayList<>();
        for (double x : X) out.add(new Sample(new double[] {x}, 0));
        return out;
    }

    /** dℓ/dw for one example, as the source reads (each guard decided as Java decides it). */
    static double gradient(double w, double x) {
        double g = w - x;
        if (x > 0 && w * w * Math.log(x) > 0.1) g += 0.5 * w * Math.log(x);
        if (x < 0 || w * x > 1.5) g += 0.2 * w;
        return g;
    }

    static double meanGradient(double w) {
        double sum = 0;
        for (double x : X) sum += gradient(w, x);
        return sum / X.length;
    }

    @Test
    void guardedHelperRunsOnlyWhereJavaRunsIt() {
        GuardedPenalty_Circuit circuit = new GuardedPenalty_Circuit(new GuardedPenalty(START));
        Trainer<Sample> trainer = new Trainer<>(circuit, Dataset.of(data()), Schedule.fullBatch(X.length, 2));
        double[] trained = trainer.train(new double[X.length]);
        double w1 = START - GuardedPenalty.LEARNING_RATE * meanGradient(START);
        double w2 = w1 - GuardedPenalty.LEARNING_RATE * meanGradient(w1);
        // A hoisted helper would take log(−1) and log(0) and add 0 · NaN to the gradient.
        assertTrue(Double.isFinite(trained[0]), "w after two steps: " + trained[0]);
        assertEquals(w2, trained[0], 1e-15);
    }

    @Test
    void comparisonBehindOrIsShownToTheMonitorWithItsClosedFormRadius() throws IOException {
        GuardedPenalty_Circuit circuit = new GuardedPenalty_Circuit(new GuardedPenalty(START));
        Schedule schedule = Schedule.fullBatch(X.length, 2);
        Trainer<Sample> trainer = new Trainer<>(circuit, Dataset.of(data()), schedule);
        BoundMeasurement m = circuit.weight();
        int[] deletion = {3};
        double a = START - GuardedPenalty.LEARNING_RATE * meanGradient(START);
        double b = GuardedPenalty.LEARNING_RATE * gradient(START, X[3]) / X.length;
        // Step 2 decides, for each example, on d(t) = d0 + d1 t + d2 t² (the comparison behind ||
        // only for x ≥ 0, the guarded one only for x > 0); the monitor's bound for each is the
        // positive root of |d0| = |d1| ρ + |d2| ρ².
        double comparison = Double.POSITIVE_INFINITY;
        double guarded = Double.POSITIVE_INFINITY;
        for (double x : X) {
            if (x >= 0) comparison = Math.min(comparison, root(a * x - 1.5, b * x, 0));
            if (x > 0) {
                double l = Math.log(x);
                guarded = Math.min(guarded, root(a * a * l - 0.1, 2 * a * b * l, b * b * l));
            }
        }
        assertTrue(comparison < guarded, "the data make the comparison behind || the nearest switch");
        ExactDirectionCurve curve = ExactDirection.run(circuit, Dataset.of(data()), schedule,
                circuit.initialParameters(), ExactDirection.indicator(X.length, deletion), 3, m);
        assertEquals(comparison, curve.branchSwitch().t(), 1e-12 * comparison);
        assertEquals(SourceLines.site(GuardedPenalty.class, "w * x > 1.5"), curve.branchSwitch().site());
        // The decision switches where w(t)·2.5 = 1.5: inside, the degree-3 curve is retraining.
        double crossing = (1.5 / X[3] - a) / b;
        assertEquals(comparison, Math.abs(crossing), 1e-12 * comparison);
        double inside = 0.9 * crossing;
        assertEquals(trainer.measure(m, trainer.train(weights(deletion, inside))), curve.value(inside, 3), 1e-12);
        double beyond = 1.5 * crossing;
        double retrained = trainer.measure(m, trainer.train(weights(deletion, beyond)));
        assertTrue(Math.abs(retrained - curve.value(beyond, 3)) > 1e-4, "switched: " + retrained);
    }

    /** The positive root of |d0| = |d1| ρ + |d2| ρ² (∞ when d1 = d2 = 0). */
    static double root(double d0, double d1, double d2) {
        double p = Math.abs(d0), q = Math.abs(d1), r = Math.abs(d2);
        if (r == 0) return q == 0 ? Double.POSITIVE_INFINITY : p / q;
        return 2 * p / (q + Math.sqrt(q * q + 4 * r * p));
    }

    static double[] weights(int[] deletion, double t) {
        double[] v = new double[X.length];
        for (int i : deletion) v[i] = t;
        return v;
    }

}
