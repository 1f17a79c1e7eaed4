package org.jetsketch.predict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Leave-one-out predictions for all n examples at one degree d: for each example i, the
 * prediction with D = {i}, its standard error and median of means (as in {@link Prediction}),
 * and the change f̂ − f(0). Immutable.
 */
public final class LeaveOneOut {

    /** One example's influence: its index, the predicted change f̂({i}) − f(0), and its standard error. */
    public record Influence(int index, double change, double standardError) {}

    private final double f0;
    private final int degree;
    private final int sketches;
    private final int groups;
    private final double[] prediction;
    private final double[] standardError;
    private final double[] medianOfMeans;

    LeaveOneOut(double f0, int degree, int sketches, int groups, double[] prediction, double[] standardError,
                double[] medianOfMeans) {
        this.f0 = f0;
        this.degree = degree;
        this.sketches = sketches;
        this.groups = groups;
        this.prediction = prediction;
        this.standardError = standardError;
        this.medianOfMeans = medianOfMeans;
    }

    public double f0() { return f0; }

    /** d, the degree of every prediction here. */
    public int degree() { return degree; }

    /** n. */
    public int examples() { return prediction.length; }

    public int sketches() { return sketches; }

    public int groups() { return groups; }

    /** f̂({i}) at degree d (the mean estimate). */
    public double prediction(int i) { return prediction[check(i)]; }

    /** f̂({i}) − f(0). */
    public double change(int i) { return prediction[check(i)] - f0; }

    /** The standard error of f̂({i}) (NaN if m = 1). */
    public double standardError(int i) { return standardError[check(i)]; }

    /** The median-of-means estimate of f({i}). */
    public double medianOfMeans(int i) { return medianOfMeans[check(i)]; }

    /** Copies of all n predictions, changes, standard errors. */
    public double[] predictions() { return prediction.clone(); }

    public double[] changes() {
        double[] c = new double[prediction.length];
        for (int i = 0; i < c.length; i++) c[i] = prediction[i] - f0;
        return c;
    }

    public double[] standardErrors() { return standardError.clone(); }

    /**
     * The {@code count} examples with the largest |change|, largest first; equal |change| in
     * ascending index order. A count above n returns all n.
     *
     * @throws IllegalArgumentException if count &lt; 0
     */
    public List<Influence> topInfluential(int count) {
        if (count < 0) throw new IllegalArgumentException("count must be >= 0, got " + count);
        Integer[] order = new Integer[prediction.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -Math.abs(prediction[i] - f0))
                .thenComparingInt(i -> i));
        int c = Math.min(count, order.length);
        List<Influence> out = new ArrayList<>(c);
        for (int t = 0; t < c; t++) {
            int i = order[t];
            out.add(new Influence(i, prediction[i] - f0, standardError[i]));
        }
        return List.copyOf(out);
    }

    private int check(int i) {
        if (i < 0 || i >= prediction.length) {
            throw new IllegalArgumentException("example index must be in [0, " + prediction.length + "), got " + i);
        }
        return i;
    }

    @Override
    public String toString() {
        return "LeaveOneOut[n=" + prediction.length + ", d=" + degree + ", m=" + sketches + ", G=" + groups + "]";
    }
}
