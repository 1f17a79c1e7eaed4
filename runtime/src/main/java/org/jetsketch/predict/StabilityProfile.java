package org.jetsketch.predict;

/**
 * The stability diagnostic (scheme §6): for each direction j and degree r = 1..k,
 * L_{j,r} = log2( sqrt(C(n+r−1, r)) · |c_{j,r}| ), the log-size of the degree-r term's
 * contribution, and its mean over directions. Computed in log space,
 * L = (ln C(n+r−1, r) / 2 + ln |c_{j,r}|) / ln 2, so it stays finite where C alone overflows
 * (n = 32,032, r = 100). A coefficient that is exactly 0 gives L = −∞, and then the mean over j
 * at that r is −∞ too (−∞ is reported as such, never replaced by a number). The assumption of the
 * scheme is that these fall with r faster than linearly; this is the curve a user reads to choose
 * k. Immutable.
 */
public final class StabilityProfile {

    private final int degree;
    private final int directions;
    private final double[] log2Term;
    private final double[] meanLog2;

    private StabilityProfile(int degree, int directions, double[] log2Term, double[] meanLog2) {
        this.degree = degree;
        this.directions = directions;
        this.log2Term = log2Term;
        this.meanLog2 = meanLog2;
    }

    /** The profile of a coefficient table. */
    public static StabilityProfile of(CoefficientTable table) {
        if (table == null) throw new IllegalArgumentException("table is null");
        return of(table.examples(), table.degree(), table.rawCoefficients());
    }

    /**
     * The profile of raw coefficients: m·2k values in the layout of {@link CoefficientTable}
     * (re c_{j,r} at 2(j·k + r − 1), im next), m &gt;= 1, all finite.
     */
    public static StabilityProfile of(int examples, int degree, double[] coefficients) {
        if (examples < 1) throw new IllegalArgumentException("examples (n) must be >= 1, got " + examples);
        if (degree < 1) throw new IllegalArgumentException("degree (k) must be >= 1, got " + degree);
        if (coefficients == null) throw new IllegalArgumentException("coefficients are null");
        if (coefficients.length == 0 || coefficients.length % (2 * degree) != 0) {
            throw new IllegalArgumentException("coefficients have length " + coefficients.length
                    + ", expected a positive multiple of 2k = " + (2 * degree));
        }
        for (int i = 0; i < coefficients.length; i++) {
            if (!Double.isFinite(coefficients[i])) {
                throw new IllegalArgumentException("coefficient at flat index " + i + " is not finite: " + coefficients[i]);
            }
        }
        int m = coefficients.length / (2 * degree);
        double ln2 = Math.log(2);
        double[] halfLogC = new double[degree + 1];
        for (int r = 1; r <= degree; r++) halfLogC[r] = 0.5 * DeletionEstimator.logBinomial(examples, r);
        double[] terms = new double[m * degree];
        double[] mean = new double[degree + 1];
        mean[0] = Double.NaN;
        for (int j = 0; j < m; j++) {
            for (int r = 1; r <= degree; r++) {
                int q = j * degree + r - 1;
                double abs = Math.hypot(coefficients[2 * q], coefficients[2 * q + 1]);
                terms[q] = abs == 0 ? Double.NEGATIVE_INFINITY : (halfLogC[r] + Math.log(abs)) / ln2;
                mean[r] += terms[q];
            }
        }
        for (int r = 1; r <= degree; r++) mean[r] /= m;
        return new StabilityProfile(degree, m, terms, mean);
    }

    /** k. */
    public int degree() { return degree; }

    /** m, the number of directions. */
    public int directions() { return directions; }

    /** L_{j,r} = log2(sqrt(C(n+r−1, r))·|c_{j,r}|); −∞ if c_{j,r} = 0. */
    public double log2Term(int j, int r) {
        if (j < 0 || j >= directions) {
            throw new IllegalArgumentException("direction position must be in [0, " + directions + "), got " + j);
        }
        return log2Term[j * degree + checkDegree(r) - 1];
    }

    /** mean_j L_{j,r}; −∞ if any c_{j,r} = 0. */
    public double meanLog2(int r) { return meanLog2[checkDegree(r)]; }

    /** min_j L_{j,r}, the smallest degree-r term over the directions. */
    public double minLog2(int r) {
        checkDegree(r);
        double min = Double.POSITIVE_INFINITY;
        for (int j = 0; j < directions; j++) min = Math.min(min, log2Term[j * degree + r - 1]);
        return min;
    }

    /** max_j L_{j,r}, the largest degree-r term over the directions. */
    public double maxLog2(int r) {
        checkDegree(r);
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < directions; j++) max = Math.max(max, log2Term[j * degree + r - 1]);
        return max;
    }

    /** mean_j L_{j,r} for r = 1..k (index r − 1). */
    public double[] meanLog2() {
        double[] v = new double[degree];
        System.arraycopy(meanLog2, 1, v, 0, degree);
        return v;
    }

    private int checkDegree(int r) {
        if (r < 1 || r > degree) throw new IllegalArgumentException("degree r must be in [1, " + degree + "], got " + r);
        return r;
    }
}
