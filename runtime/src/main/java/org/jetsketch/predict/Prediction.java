package org.jetsketch.predict;

import java.util.Locale;

/**
 * The prediction of f(w) for one weight vector (or deletion set) at every degree d = 0..k
 * (scheme §5). With Y_{j,d} = Σ_{r≤d} X_{j,r}(w):
 *
 * <ul>
 *   <li>{@link #mean(int) mean(d)} = f(0) + mean_j Y_{j,d}, the unbiased estimate;
 *   <li>{@link #standardError(int) standardError(d)} = sample standard deviation over j of
 *       Y_{j,d} (denominator m − 1) divided by √m; NaN when m = 1 (no spread to measure);
 *   <li>{@link #medianOfMeans(int) medianOfMeans(d)} = f(0) + the median over groups of the
 *       group means of Y_{j,d}; groups are consecutive blocks of sketches in table order, of sizes
 *       ⌈m/G⌉ (the first m mod G groups) and ⌊m/G⌋ (the rest); an even G takes the mean of the two
 *       middle values.
 * </ul>
 *
 * Degree 0 is f(0) with standard error 0. Immutable.
 */
public final class Prediction implements DeletionPrediction {

    private final double f0;
    private final int sketches;
    private final int groups;
    private final double[] mean;
    private final double[] standardError;
    private final double[] medianOfMeans;

    Prediction(double f0, int sketches, int groups, double[] mean, double[] standardError, double[] medianOfMeans) {
        this.f0 = f0;
        this.sketches = sketches;
        this.groups = groups;
        this.mean = mean;
        this.standardError = standardError;
        this.medianOfMeans = medianOfMeans;
    }

    /** f(0), the measurement of the model trained on all data. */
    @Override
    public double f0() { return f0; }

    /** "unbiased": the mean over sketches of the degree-d partial sums (scheme §5). */
    @Override
    public String estimatorDescription(int d) {
        check(d);
        return GroupPrediction.Estimator.UNBIASED.description();
    }

    /** k, the highest degree available. */
    public int degree() { return mean.length - 1; }

    /** m. */
    public int sketches() { return sketches; }

    /** G, the number of median-of-means groups. */
    public int groups() { return groups; }

    /** f(0) + Σ_{r≤d} mean_j X_{j,r}. */
    public double mean(int d) { return mean[check(d)]; }

    /** The degree-d estimate minus f(0). */
    public double change(int d) { return mean[check(d)] - f0; }

    /** s.d._j(Σ_{r≤d} X_{j,r}) / √m (NaN if m = 1). */
    public double standardError(int d) { return standardError[check(d)]; }

    /** f(0) + median over groups of the group means of Σ_{r≤d} X_{j,r}. */
    public double medianOfMeans(int d) { return medianOfMeans[check(d)]; }

    private int check(int d) {
        if (d < 0 || d >= mean.length) {
            throw new IllegalArgumentException("degree must be in [0, " + (mean.length - 1) + "], got " + d);
        }
        return d;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Prediction[f0=").append(f0).append(", m=").append(sketches)
                .append(", G=").append(groups);
        for (int d = 1; d < mean.length; d++) {
            sb.append(String.format(Locale.ROOT, ", d%d=%.6g±%.2g (mom %.6g)", d, mean[d], standardError[d],
                    medianOfMeans[d]));
        }
        return sb.append(']').toString();
    }
}
