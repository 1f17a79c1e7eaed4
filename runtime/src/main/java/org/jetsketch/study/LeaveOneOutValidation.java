package org.jetsketch.study;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.predict.CoefficientTable;
import org.jetsketch.predict.DeletionEstimator;
import org.jetsketch.predict.ExactDirectionCurve;
import org.jetsketch.predict.LeaveOneOut;
import org.jetsketch.predict.SketchTables;
import org.jetsketch.predict.Validation;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.train.ExactInfluence;
import org.jetsketch.work.TaskProgress;

/**
 * Leave-one-out against retraining: {@code names} training examples (all, or a sample drawn with
 * the seed) each deleted alone and retrained, against the exact first order (one backward sweep
 * through training), the per-example sketches at each sketch count m (degree 1) and, for the first
 * {@code subset} of them, the exact-direction curves at degrees 1..{@code degree}; each method
 * summarised (mean |error|, Spearman, Pearson) on all the examples it answers and on the subset.
 * What {@code ./jetsketch validate --leave-one-out} prints, for any program to call.
 */
public final class LeaveOneOutValidation {
    private LeaveOneOutValidation() {}

    /** One method's predicted changes (NaN where it made none), its time, and its summaries (null: none). */
    public record Method(String name, double[] change, double seconds, Validation all, Validation subset) {}

    /**
     * The comparison: the examples in order ({@code chosen}, the subset its first {@code subset}),
     * the true changes, f(0), the methods and the times of its parts.
     */
    public record Result(int[] chosen, int subset, double[] truth, double f0, List<Method> methods,
            double reverseSeconds, double retrainSeconds, double exactSeconds) {

        /** The mean |true change| over the chosen examples. */
        public double meanAbsoluteTrueChange() {
            double s = 0;
            for (double t : truth) s += Math.abs(t) / truth.length;
            return s;
        }
    }

    /**
     * Runs it.
     *
     * @throws IllegalArgumentException if names is not in 1..n or subset not in 0..names
     * @throws IOException if the store cannot be read
     */
    public static <E> Result run(ProblemRuns<E> runs, BoundMeasurement m, SketchStore store, int[] sketchCounts,
            int names, int subset, int degree, long memoryBudget, int threads, TaskProgress progress) throws IOException {
        int n = runs.examples();
        if (names < 1 || names > n) throw new IllegalArgumentException("--names must be in 1.." + n + ", got " + names);
        if (subset < 0 || subset > names) {
            throw new IllegalArgumentException("--exact-subset must be in 0.." + names + ", got " + subset);
        }
        int[] chosen = sample(n, names, runs.problem().input().seed());
        int[] exactOnes = Arrays.copyOf(chosen, subset);

        long t0 = System.nanoTime();
        ExactInfluence.Influence influence = runs.exactInfluence(m, memoryBudget);
        double reverseSeconds = (System.nanoTime() - t0) / 1e9;
        double f0 = influence.values()[0];

        List<double[]> weights = new ArrayList<>();
        for (int i : chosen) weights.add(runs.weights(new int[] {i}, 1.0));
        long t1 = System.nanoTime();
        double[] retrained = runs.retrainAll(m, weights, threads, progress, "retraining " + names + " "
                + runs.problem().exampleNounPlural() + ", one left out each");
        double retrainSeconds = (System.nanoTime() - t1) / 1e9;
        double[] truth = new double[names];
        for (int q = 0; q < names; q++) truth[q] = retrained[q] - f0;

        List<Method> methods = new ArrayList<>();
        double[] fo = new double[names];
        for (int q = 0; q < names; q++) fo[q] = influence.derivatives()[0][chosen[q]];
        methods.add(method("exact first order (reverse)", fo, reverseSeconds, truth, subset));
        for (int mm : sketchCounts) {
            long ts = System.nanoTime();
            CoefficientTable table = SketchTables.table(store, m, threads, mm);
            LeaveOneOut loo = DeletionEstimator.cached(table).leaveOneOut(1);
            double[] c = new double[names];
            for (int q = 0; q < names; q++) c[q] = loo.change(chosen[q]);
            methods.add(method("per-example sketches, m = " + mm + ", degree 1", c, (System.nanoTime() - ts) / 1e9,
                    truth, subset));
        }
        double exactSeconds = 0;
        if (subset > 0) {
            long te = System.nanoTime();
            List<ExactDirectionCurve> curves = runs.leaveOneOutCurves(m, exactOnes, degree, threads, progress);
            exactSeconds = (System.nanoTime() - te) / 1e9;
            for (int d = 1; d <= degree; d++) {
                double[] c = new double[names];
                Arrays.fill(c, Double.NaN);
                for (int q = 0; q < subset; q++) c[q] = curves.get(q).value(1.0, d) - f0;
                methods.add(method("exact direction, degree " + d, c, exactSeconds, truth, subset));
            }
        }
        return new Result(chosen, subset, truth, f0, List.copyOf(methods), reverseSeconds, retrainSeconds, exactSeconds);
    }

    private static Method method(String name, double[] change, double seconds, double[] truth, int subset) {
        return new Method(name, change, seconds, summary(change, truth, 0, truth.length),
                subset > 0 ? summary(change, truth, 0, subset) : null);
    }

    /** The validation of the changes predicted for examples from..to−1 (null when the method made none there). */
    private static Validation summary(double[] change, double[] truth, int from, int to) {
        List<Validation.Case> cases = new ArrayList<>();
        for (int q = from; q < to; q++) {
            if (Double.isNaN(change[q])) return null;
            cases.add(new Validation.Case("#" + q, change[q], 0.0, truth[q]));
        }
        return Validation.of(cases);
    }

    /** {@code k} distinct indices of 0..n−1 in a random order drawn with {@code seed} (all of them when k = n). */
    public static int[] sample(int n, int k, long seed) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + 17);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return Arrays.copyOf(all, k);
    }
}
