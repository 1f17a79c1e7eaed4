package org.jetsketch.predict;

import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.JetTrainer;
import org.jetsketch.train.Schedule;

/**
 * Exact-direction mode (scheme.md §7): when the deletion set (or any weight vector v) is known in
 * advance, one jet training along the real direction v gives the exact Taylor coefficients of
 * t ↦ f(t·v); the degree-d curve is Σ_{r≤d} c_r t^r.
 */
public final class ExactDirection {
    private ExactDirection() {}

    /** The coefficients c_0..c_k of f(t·v) for measurement {@code m}. */
    public static <E> ExactDirectionCurve run(CompiledCircuit<E> circuit, Dataset<E> data, Schedule schedule,
            double[] initial, double[] v, int degree, BoundMeasurement m) {
        if (degree < 1) throw new IllegalArgumentException("degree must be >= 1, got " + degree);
        if (v.length != data.size()) {
            throw new IllegalArgumentException("direction has length " + v.length + ", expected " + data.size());
        }
        JetTrainer<E> trainer = new JetTrainer<>(circuit, data, schedule, degree, 1);
        double[] theta = trainer.train(initial, null, v, new double[v.length]);
        double[] jet = new double[trainer.jets().stride()];
        trainer.measure(m, theta, jet, 0);
        double[] c = new double[degree + 1];
        c[0] = jet[0];
        for (int r = 1; r <= degree; r++) c[r] = jet[1 + 2 * (r - 1)];
        return new ExactDirectionCurve(c);
    }

    /** The indicator vector 1_D of a deletion set (indices checked: in range, no repeats). */
    public static double[] indicator(int n, int[] deletionSet) {
        double[] v = new double[n];
        for (int i : deletionSet) {
            if (i < 0 || i >= n) throw new IllegalArgumentException("deletion index " + i + " outside [0, " + n + ")");
            if (v[i] != 0) throw new IllegalArgumentException("deletion index " + i + " is repeated");
            v[i] = 1;
        }
        return v;
    }
}
