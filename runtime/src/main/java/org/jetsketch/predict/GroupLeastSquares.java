package org.jetsketch.predict;

import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.apache.commons.math3.util.CombinatoricsUtils;

/**
 * Least-squares recovery of the degree-r part of the group polynomial (scheme §10). In group space
 * the degree-r part is h_r(v) = Σ_{|α|=r} a_α v^α with N_r = C(G+r−1, r) real unknowns, and
 * sketch j gives the complex number c_{j,r} = h_r(ψ_j) = Σ_α a_α ψ_j^α: two real equations (real
 * and imaginary parts) in the unknowns. Stacking the m sketches gives the real system A a = b,
 * A of size 2m × N_r with rows Re ψ_j^α, Im ψ_j^α. Once 2m ≥ N_r and A has full column rank the
 * coefficients are recovered exactly up to rounding, for every measurement, and then every union
 * of groups and every weight vector is predicted with no sampling error.
 *
 * <p><b>Factorisation.</b> A depends only on the directions, not on the measurement, so it is
 * factorised once per degree and shared by every {@link #solve(CoefficientTable) solve}. Each
 * column is scaled to unit Euclidean norm (the monomials have sizes near G^{−r/2}), the scaled
 * matrix A_s = A·S is decomposed by SVD (Commons Math), A_s = U Σ Vᵀ, and its condition number
 * σ_max/σ_min is reported. A degree is solved when 2m ≥ N_r, N_r ≤ {@link #MAX_UNKNOWNS} and the
 * condition number is below {@link #MAX_CONDITION}; otherwise {@link #reason(int)} says why not and
 * the caller keeps the unbiased estimator there.
 *
 * <p><b>Error.</b> With 2m &gt; N_r the residual ρ = b − A a gives σ̂² = ‖ρ‖² / (2m − N_r), and the
 * standard error of a prediction xᵀa (x = the monomials of the weights) is σ̂·‖Σ^{-1} Vᵀ S x‖, the
 * usual least-squares formula. On an exact polynomial the residual is rounding, and so is the
 * error; where the jet coefficients are not those of one polynomial (a bug, or a store made with
 * another grouping) the residual says so. With 2m = N_r there is no residual degree of freedom and
 * the standard error is NaN.
 *
 * <p>Memory: U holds 2m·N_r doubles per solved degree. Immutable and thread-safe.
 */
public final class GroupLeastSquares {

    /** The largest N_r solved (larger systems take minutes and gigabytes in a dense SVD). */
    public static final int MAX_UNKNOWNS = 1500;

    /** The largest condition number of the scaled monomial matrix that is trusted. */
    public static final double MAX_CONDITION = 1e10;

    private final DirectionBank bank;
    private final int groups;
    private final int m;
    private final int degree;
    private final Degree[] perDegree;

    /** One degree's system: the monomials, the column scales and the factors. */
    private static final class Degree {
        final int r;
        final long unknowns;
        final String reason;
        final int[] monomials; // N_r × r group ids, non-decreasing within a monomial
        final double[] scale; // 1 / column norm
        final double[][] u; // 2m × N_r
        final double[][] vOverSigma; // N_r × N_r: V Σ^{-1}
        final double condition;

        Degree(int r, long unknowns, String reason, double condition) {
            this.r = r;
            this.unknowns = unknowns;
            this.reason = reason;
            this.monomials = null;
            this.scale = null;
            this.u = null;
            this.vOverSigma = null;
            this.condition = condition;
        }

        Degree(int r, int[] monomials, double[] scale, double[][] u, double[][] vOverSigma, double condition) {
            this.r = r;
            this.unknowns = scale.length;
            this.reason = null;
            this.monomials = monomials;
            this.scale = scale;
            this.u = u;
            this.vOverSigma = vOverSigma;
            this.condition = condition;
        }
    }

    private GroupLeastSquares(DirectionBank bank, int degree) {
        this.bank = bank;
        this.groups = bank.examples();
        this.m = bank.size();
        this.degree = degree;
        this.perDegree = new Degree[degree + 1];
        for (int r = 1; r <= degree; r++) perDegree[r] = factorise(r);
    }

    /**
     * Factorises the monomial matrices of degrees 1..k for the directions of {@code bank} (whose
     * dimension is G).
     */
    public static GroupLeastSquares of(DirectionBank bank, int degree) {
        if (bank == null) throw new IllegalArgumentException("direction bank is null");
        if (degree < 1) throw new IllegalArgumentException("degree must be >= 1, got " + degree);
        return new GroupLeastSquares(bank, degree);
    }

    /** N_r = C(G+r−1, r), the number of real unknowns at degree r (saturating at Long.MAX_VALUE). */
    public static long unknowns(int groups, int r) {
        if (groups < 1) throw new IllegalArgumentException("G must be >= 1, got " + groups);
        if (r < 0) throw new IllegalArgumentException("r must be >= 0, got " + r);
        if (DeletionEstimator.logBinomial(groups, r) > 43) return Long.MAX_VALUE;
        return CombinatoricsUtils.binomialCoefficient(groups + r - 1, r);
    }

    private Degree factorise(int r) {
        long unknowns = unknowns(groups, r);
        if (2L * m < unknowns) {
            return new Degree(r, unknowns, String.format(Locale.ROOT,
                    "2m = %d < N_%d = C(%d+%d-1, %d) = %d unknowns (needs m >= %d sketches)", 2L * m, r, groups, r, r, unknowns,
                    (unknowns + 1) / 2), Double.NaN);
        }
        if (unknowns > MAX_UNKNOWNS) {
            return new Degree(r, unknowns, "N_" + r + " = " + unknowns + " unknowns exceeds the " + MAX_UNKNOWNS
                    + " this dense solver takes", Double.NaN);
        }
        int n = (int) unknowns;
        int[] monomials = monomials(groups, r, n);
        int rows = 2 * m;
        double[][] a = new double[rows][n];
        double[] psi = new double[2 * groups];
        for (int j = 0; j < m; j++) {
            double[] p = bank.view(j, psi);
            for (int c = 0; c < n; c++) {
                double re = 1, im = 0;
                for (int t = 0; t < r; t++) {
                    int g = monomials[c * r + t];
                    double x = p[2 * g], y = p[2 * g + 1];
                    double nr = re * x - im * y;
                    im = re * y + im * x;
                    re = nr;
                }
                a[2 * j][c] = re;
                a[2 * j + 1][c] = im;
            }
        }
        double[] scale = new double[n];
        for (int c = 0; c < n; c++) {
            double s = 0;
            for (int row = 0; row < rows; row++) s += a[row][c] * a[row][c];
            if (s == 0) {
                return new Degree(r, unknowns, "monomial " + describe(monomials, c, r) + " is zero in every sketch",
                        Double.POSITIVE_INFINITY);
            }
            scale[c] = 1 / Math.sqrt(s);
            for (int row = 0; row < rows; row++) a[row][c] *= scale[c];
        }
        SingularValueDecomposition svd = new SingularValueDecomposition(new Array2DRowRealMatrix(a, false));
        double[] sigma = svd.getSingularValues();
        double condition = sigma[n - 1] > 0 ? sigma[0] / sigma[n - 1] : Double.POSITIVE_INFINITY;
        if (!(condition <= MAX_CONDITION)) {
            return new Degree(r, unknowns, String.format(Locale.ROOT,
                    "the scaled monomial matrix is too ill-conditioned (condition number %.3g > %.0e)", condition,
                    MAX_CONDITION), condition);
        }
        double[][] u = svd.getU().getData();
        double[][] v = svd.getV().getData();
        double[][] vOverSigma = new double[n][n];
        for (int row = 0; row < n; row++) {
            for (int c = 0; c < n; c++) vOverSigma[row][c] = v[row][c] / sigma[c];
        }
        return new Degree(r, monomials, scale, u, vOverSigma, condition);
    }

    /** The multi-indices of degree r over G groups as non-decreasing r-tuples, in lexicographic order. */
    static int[] monomials(int groups, int r, int count) {
        int[] out = new int[count * r];
        int[] t = new int[r];
        for (int c = 0; c < count; c++) {
            System.arraycopy(t, 0, out, c * r, r);
            int p = r - 1;
            while (p >= 0 && t[p] == groups - 1) p--;
            if (p < 0) break;
            t[p]++;
            for (int q = p + 1; q < r; q++) t[q] = t[p];
        }
        return out;
    }

    private static String describe(int[] monomials, int c, int r) {
        StringBuilder sb = new StringBuilder();
        for (int t = 0; t < r; t++) sb.append(t == 0 ? "v" : "·v").append(monomials[c * r + t]);
        return sb.toString();
    }

    /** G. */
    public int groups() { return groups; }

    /** m. */
    public int sketches() { return m; }

    /** k. */
    public int degree() { return degree; }

    /** N_r. */
    public long unknownsAt(int r) { return perDegree[checkDegree(r)].unknowns; }

    /** Whether degree r is solved by least squares. */
    public boolean solves(int r) { return perDegree[checkDegree(r)].reason == null; }

    /** The highest R such that degrees 1..R are all solved (0: none). */
    public int solvedDegree() {
        int d = 0;
        while (d < degree && solves(d + 1)) d++;
        return d;
    }

    /** Why degree r is not solved, or null if it is. */
    public String reason(int r) { return perDegree[checkDegree(r)].reason; }

    /** The condition number of the scaled monomial matrix at degree r (NaN if not factorised). */
    public double conditionNumber(int r) { return perDegree[checkDegree(r)].condition; }

    /** The directions this factorisation is of. */
    public DirectionBank directions() { return bank; }

    /**
     * Solves every solvable degree for the measurement of {@code table}.
     *
     * @throws IllegalArgumentException if the table is not over these directions or has a lower degree
     */
    public Solution solve(CoefficientTable table) {
        if (table == null) throw new IllegalArgumentException("table is null");
        if (!bank.matches(table)) {
            throw new IllegalArgumentException("the table " + table + " is not over the directions " + bank
                    + " of this least-squares factorisation");
        }
        if (table.degree() < degree) {
            throw new IllegalArgumentException("the table has degree " + table.degree() + ", the factorisation " + degree);
        }
        double[] c = table.rawCoefficients();
        int k = table.degree();
        double[][] coefficients = new double[degree + 1][];
        double[] sigma = new double[degree + 1];
        Arrays.fill(sigma, Double.NaN);
        for (int r = 1; r <= degree; r++) {
            Degree sys = perDegree[r];
            if (sys.reason != null) continue;
            int n = (int) sys.unknowns;
            int rows = 2 * m;
            double[] b = new double[rows];
            for (int j = 0; j < m; j++) {
                b[2 * j] = c[2 * (j * k + r - 1)];
                b[2 * j + 1] = c[2 * (j * k + r - 1) + 1];
            }
            double[] ub = new double[n];
            for (int row = 0; row < rows; row++) {
                double br = b[row];
                double[] ur = sys.u[row];
                for (int col = 0; col < n; col++) ub[col] += ur[col] * br;
            }
            double rss = 0;
            for (int row = 0; row < rows; row++) {
                double fit = 0;
                double[] ur = sys.u[row];
                for (int col = 0; col < n; col++) fit += ur[col] * ub[col];
                double res = b[row] - fit;
                rss += res * res;
            }
            double[] a = new double[n];
            for (int row = 0; row < n; row++) {
                double s = 0;
                double[] vr = sys.vOverSigma[row];
                for (int col = 0; col < n; col++) s += vr[col] * ub[col];
                a[row] = s * sys.scale[row];
            }
            coefficients[r] = a;
            sigma[r] = rows > n ? Math.sqrt(rss / (rows - n)) : Double.NaN;
        }
        return new Solution(coefficients, sigma);
    }

    /**
     * The recovered coefficients a_α of one measurement, per solved degree. Immutable.
     */
    public final class Solution {
        private final double[][] coefficients;
        private final double[] sigma;

        private Solution(double[][] coefficients, double[] sigma) {
            this.coefficients = coefficients;
            this.sigma = sigma;
        }

        /** The factorisation this solution came from. */
        public GroupLeastSquares system() { return GroupLeastSquares.this; }

        /** Whether degree r was solved. */
        public boolean solved(int r) { return coefficients[checkDegree(r)] != null; }

        /**
         * The coefficients a_α of degree r (a copy), α in the order of non-decreasing r-tuples of
         * group ids in lexicographic order: (0,0), (0,1), …, (0,G−1), (1,1), … at r = 2.
         */
        public double[] coefficients(int r) { return requireSolved(r).clone(); }

        /** The residual scale σ̂ at degree r (NaN if 2m = N_r). */
        public double residualScale(int r) {
            requireSolved(r);
            return sigma[r];
        }

        /** h_r(v) = Σ_α a_α v^α for group weights v (G values). */
        public double term(int r, double[] v) {
            double[] a = requireSolved(r);
            int[] mono = perDegree[r].monomials;
            double s = 0;
            for (int c = 0; c < a.length; c++) s += a[c] * monomial(mono, c, r, v);
            return s;
        }

        /** The standard error of {@link #term}: σ̂·‖Σ^{-1} Vᵀ S x‖ (NaN if 2m = N_r). */
        public double termStandardError(int r, double[] v) {
            requireSolved(r);
            Degree sys = perDegree[r];
            int n = (int) sys.unknowns;
            double[] x = new double[n];
            for (int c = 0; c < n; c++) x[c] = monomial(sys.monomials, c, r, v) * sys.scale[c];
            double norm2 = 0;
            for (int col = 0; col < n; col++) {
                double s = 0;
                for (int row = 0; row < n; row++) s += sys.vOverSigma[row][col] * x[row];
                norm2 += s * s;
            }
            return sigma[r] * Math.sqrt(norm2);
        }

        private double[] requireSolved(int r) {
            double[] a = coefficients[checkDegree(r)];
            if (a == null) throw new IllegalStateException("degree " + r + " is not solved: " + reason(r));
            return a;
        }
    }

    private static double monomial(int[] mono, int c, int r, double[] v) {
        double p = 1;
        for (int t = 0; t < r; t++) p *= v[mono[c * r + t]];
        return p;
    }

    private int checkDegree(int r) {
        if (r < 1 || r > degree) throw new IllegalArgumentException("degree r must be in [1, " + degree + "], got " + r);
        return r;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("GroupLeastSquares[G=" + groups + ", m=" + m);
        for (int r = 1; r <= degree; r++) {
            sb.append(String.format(Locale.ROOT, ", r=%d: %s", r,
                    solves(r) ? String.format(Locale.ROOT, "N=%d cond %.3g", unknownsAt(r), conditionNumber(r)) : "unsolved"));
        }
        return sb.append(']').toString();
    }
}
