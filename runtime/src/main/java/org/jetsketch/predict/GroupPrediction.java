package org.jetsketch.predict;

import java.util.Locale;

/**
 * The prediction of f(1_S) (or f(v)) for a union S of groups at every degree d = 0..k, from grouped
 * sketches (scheme §9–§10): degrees 1..R recovered by least squares where the system is solved
 * ({@link GroupLeastSquares}), degrees above R by the unbiased estimator (§5 in group space).
 *
 * <ul>
 *   <li>{@link #mean(int) mean(d)} = f(0) + Σ_{r ≤ min(d,R)} h_r(v) + mean_j Σ_{R<r≤d} X_{j,r}(v);
 *   <li>{@link #standardError(int) standardError(d)}: the least-squares standard errors of the
 *       solved terms and the sample standard error of the unbiased part, added in quadrature (the
 *       systems of different degrees are solved separately). Like every standard error here it
 *       measures the estimate of the degree-d Taylor polynomial, not the truncation of the series
 *       at degree d: once least squares answers, that truncation is all the error left;
 *   <li>{@link #estimator(int) estimator(d)} names the estimator that answered at degree d;
 *   <li>{@link #unbiased()} is the unbiased estimator alone at every degree, for comparison.
 * </ul>
 *
 * Immutable.
 */
public final class GroupPrediction implements DeletionPrediction {

    /** Which estimator answered a degree. */
    public enum Estimator {
        /** Every term up to this degree from the least-squares recovery. */
        LEAST_SQUARES("least squares"),
        /** Least squares up to R, the unbiased estimator above. */
        LEAST_SQUARES_THEN_UNBIASED("least squares to degree R, unbiased above"),
        /** The unbiased estimator of scheme §5 (in group space) at every term. */
        UNBIASED("unbiased");

        private final String description;

        Estimator(String description) { this.description = description; }

        public String description() { return description; }
    }

    private final double f0;
    private final int leastSquaresDegree;
    private final double[] mean;
    private final double[] standardError;
    private final double[] conditionNumber;
    private final Prediction unbiased;

    GroupPrediction(double f0, int leastSquaresDegree, double[] mean, double[] standardError, double[] conditionNumber,
                    Prediction unbiased) {
        this.f0 = f0;
        this.leastSquaresDegree = leastSquaresDegree;
        this.mean = mean;
        this.standardError = standardError;
        this.conditionNumber = conditionNumber;
        this.unbiased = unbiased;
    }

    public double f0() { return f0; }

    /** k. */
    public int degree() { return mean.length - 1; }

    /** R: degrees 1..R came from least squares (0: none). */
    public int leastSquaresDegree() { return leastSquaresDegree; }

    /** The estimate of f at degree d. */
    public double mean(int d) { return mean[check(d)]; }

    /** mean(d) − f(0). */
    public double change(int d) { return mean[check(d)] - f0; }

    /** The standard error of mean(d) (NaN if a part has none: m = 1, or 2m = N_r). */
    public double standardError(int d) { return standardError[check(d)]; }

    @Override
    public String estimatorDescription(int d) {
        return estimator(d).description();
    }

    /** The estimator that answered at degree d. */
    public Estimator estimator(int d) {
        check(d);
        if (d <= leastSquaresDegree) return Estimator.LEAST_SQUARES;
        return leastSquaresDegree > 0 ? Estimator.LEAST_SQUARES_THEN_UNBIASED : Estimator.UNBIASED;
    }

    /** The condition number of the scaled monomial matrix of degree r (NaN where not solved). */
    public double conditionNumber(int r) {
        if (r < 1 || r > degree()) throw new IllegalArgumentException("degree r must be in [1, " + degree() + "], got " + r);
        return conditionNumber[r];
    }

    /** The unbiased estimator alone (scheme §5 in group space), at every degree. */
    public Prediction unbiased() { return unbiased; }

    private int check(int d) {
        if (d < 0 || d >= mean.length) {
            throw new IllegalArgumentException("degree must be in [0, " + (mean.length - 1) + "], got " + d);
        }
        return d;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("GroupPrediction[f0=").append(f0).append(", R=").append(leastSquaresDegree);
        for (int d = 1; d < mean.length; d++) {
            sb.append(String.format(Locale.ROOT, ", d%d=%.6g±%.2g (%s)", d, mean[d], standardError[d],
                    estimator(d).description()));
        }
        return sb.append(']').toString();
    }
}
