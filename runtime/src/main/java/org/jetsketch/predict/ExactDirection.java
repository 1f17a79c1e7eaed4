package org.jetsketch.predict;

import java.util.ArrayList;
import java.util.List;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.sketch.BranchSwitch;
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
        for (int r = 1; r <= degree; r++) c[r] = jet[trainer.jets().layout().re(0, r, 0)];
        return new ExactDirectionCurve(c, BranchSwitch.of(circuit, trainer.branches(), 0));
    }

    /**
     * Many exact directions at once (scheme §11): the coefficients of f(t·v_b) for every real
     * direction v_b of {@code directions}, from jet passes that carry up to {@code perPass}
     * directions each and share the real part (the ordinary training). Each direction's
     * coefficients are those of a separate {@link #run} up to rounding: the jet kernels compute
     * every direction of a block by the same operations as a single-direction jet.
     *
     * @param directions B real weight vectors of length n (B &gt;= 1)
     * @param perPass    the largest number of directions one pass carries (&gt;= 1)
     * @return one curve per direction, in order
     */
    public static <E> List<ExactDirectionCurve> runBatch(CompiledCircuit<E> circuit, Dataset<E> data, Schedule schedule,
            double[] initial, double[][] directions, int degree, int perPass, BoundMeasurement m) {
        if (degree < 1) throw new IllegalArgumentException("degree must be >= 1, got " + degree);
        if (perPass < 1) throw new IllegalArgumentException("directions per pass must be >= 1, got " + perPass);
        if (directions == null || directions.length == 0) {
            throw new IllegalArgumentException("at least one direction is needed");
        }
        int n = data.size();
        for (int b = 0; b < directions.length; b++) {
            if (directions[b] == null || directions[b].length != n) {
                throw new IllegalArgumentException("direction " + b + " has length "
                        + (directions[b] == null ? "null" : directions[b].length) + ", expected " + n);
            }
        }
        List<ExactDirectionCurve> out = new ArrayList<>(directions.length);
        JetTrainer<E> trainer = null;
        for (int start = 0; start < directions.length; start += perPass) {
            int count = Math.min(perPass, directions.length - start);
            if (trainer == null || trainer.jets().directions() != count) {
                trainer = new JetTrainer<>(circuit, data, schedule, degree, count);
            }
            double[] re = new double[count * n];
            for (int b = 0; b < count; b++) System.arraycopy(directions[start + b], 0, re, b * n, n);
            double[] theta = trainer.train(initial, null, re, new double[count * n]);
            double[] jet = new double[trainer.jets().stride()];
            trainer.measure(m, theta, jet, 0);
            for (int b = 0; b < count; b++) {
                double[] c = new double[degree + 1];
                c[0] = jet[0];
                for (int r = 1; r <= degree; r++) c[r] = jet[trainer.jets().layout().re(0, r, b)];
                out.add(new ExactDirectionCurve(c, BranchSwitch.of(circuit, trainer.branches(), b)));
            }
        }
        return out;
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
