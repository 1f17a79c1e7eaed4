package org.jetsketch.predict;

import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.math3.util.CombinatoricsUtils;

/**
 * Predicts f(w) — the measurement after training with example weights w, e.g. w = 1_D for the
 * deletion of D — from a {@link CoefficientTable} (scheme §5). For sketch j and degree r:
 *
 * <pre>
 *   s_j(w)    = Σ_i w_i · conj(ψ_{j,i})
 *   X_{j,r}(w) = Re( C(n+r−1, r) · c_{j,r} · s_j(w)^r )
 *   f̂(w)     = f(0) + Σ_{r≤d} mean_j X_{j,r}(w)          (degree d)
 * </pre>
 *
 * X_{j,r} is an unbiased estimate of ⟨F_r, w^{⊗r}⟩. The statistics reported are described in
 * {@link Prediction}.
 *
 * <p><b>Numerics.</b> C(n+r−1, r) = exp(ln C) with ln C from
 * {@link CombinatoricsUtils#binomialCoefficientLog}; it overflows a double for n = 32,032 around
 * r = 100, while the product with |c_{j,r}|·|s|^r usually does not. So per (j, r) the table keeps
 * a_{j,r} = C·c_{j,r} when |a| ≤ e^700, and otherwise its log-magnitude ln C + ln|c_{j,r}| and
 * phase arg c_{j,r}. A term is computed directly as Re(a·s^r) (s^r by repeated multiplication)
 * when a is kept and |r·ln|s|| &lt; 700 (so s^r is a normal finite double); else as
 * exp(ln|a| + r·ln|s|)·cos(arg c + r·arg s). c = 0 or s = 0 gives exactly 0. A term whose
 * magnitude exceeds the double range throws {@link ArithmeticException} naming the sketch and the
 * degree (the estimate would be ±∞ or NaN).
 *
 * <p><b>Groups.</b> The median of means uses {@link #defaultGroups(int)} = round(√m) clamped to
 * [1, m] groups unless a query names its own G (1 ≤ G ≤ m).
 *
 * <p><b>Cost.</b> A deletion set costs O(m·(|D| + k)) with a cached {@link DirectionBank} and
 * O(m·(n + k)) on the fly; a weight vector O(m·(n + k)); leave-one-out for all n examples
 * O(m·n·d); a curve of T points O(m·(|D| + T·k)). Immutable and thread-safe.
 */
public final class DeletionEstimator {

    /** The log-magnitude below which products are formed directly. */
    private static final double DIRECT_LIMIT = 700.0;

    private final CoefficientTable table;
    private final DirectionBank bank;
    private final int n;
    private final int k;
    private final int m;
    private final double f0;
    private final double[] logBinomial;
    private final double[] logMagnitude;
    private final double[] phase;
    private final double[] aRe;
    private final double[] aIm;
    private final boolean[] direct;

    /**
     * @throws IllegalArgumentException if the bank does not hold the table's directions
     *         (same n, seed and direction indices in the same order)
     */
    public DeletionEstimator(CoefficientTable table, DirectionBank directions) {
        if (table == null) throw new IllegalArgumentException("table is null");
        if (directions == null) throw new IllegalArgumentException("direction bank is null");
        if (!directions.matches(table)) {
            throw new IllegalArgumentException("the direction bank " + directions
                    + " does not hold the directions of " + table + " (n, seed and indices must agree)");
        }
        this.table = table;
        this.bank = directions;
        this.n = table.examples();
        this.k = table.degree();
        this.m = table.sketches();
        this.f0 = table.f0();
        this.logBinomial = new double[k + 1];
        for (int r = 1; r <= k; r++) logBinomial[r] = logBinomial(n, r);
        double[] c = table.rawCoefficients();
        this.logMagnitude = new double[m * k];
        this.phase = new double[m * k];
        this.aRe = new double[m * k];
        this.aIm = new double[m * k];
        this.direct = new boolean[m * k];
        for (int j = 0; j < m; j++) {
            for (int r = 1; r <= k; r++) {
                int q = j * k + r - 1;
                double re = c[2 * q], im = c[2 * q + 1];
                double abs = Math.hypot(re, im);
                phase[q] = Math.atan2(im, re);
                logMagnitude[q] = abs == 0 ? Double.NEGATIVE_INFINITY : logBinomial[r] + Math.log(abs);
                if (logMagnitude[q] <= DIRECT_LIMIT) {
                    direct[q] = true;
                    if (logBinomial[r] <= DIRECT_LIMIT) {
                        double binomial = Math.exp(logBinomial[r]);
                        aRe[q] = binomial * re;
                        aIm[q] = binomial * im;
                    } else {
                        double mag = Math.exp(logMagnitude[q]);
                        aRe[q] = mag * Math.cos(phase[q]);
                        aIm[q] = mag * Math.sin(phase[q]);
                    }
                }
            }
        }
    }

    /** An estimator whose directions are generated once and cached (16·m·n bytes). */
    public static DeletionEstimator cached(CoefficientTable table) {
        if (table == null) throw new IllegalArgumentException("table is null");
        return new DeletionEstimator(table, DirectionBank.cached(table));
    }

    /** An estimator that regenerates the directions for every query. */
    public static DeletionEstimator onTheFly(CoefficientTable table) {
        if (table == null) throw new IllegalArgumentException("table is null");
        return new DeletionEstimator(table, DirectionBank.onTheFly(table));
    }

    /**
     * ln C(n+r−1, r) = ln dim Sym^r(C^n), from Commons Math, with a direct sum of logarithms as
     * a fallback where Commons Math's double intermediate overflows.
     */
    public static double logBinomial(int n, int r) {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        if (r < 0) throw new IllegalArgumentException("r must be >= 0, got " + r);
        if ((long) n + r - 1 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("n + r − 1 = " + ((long) n + r - 1) + " exceeds the int range");
        }
        double v = CombinatoricsUtils.binomialCoefficientLog(n + r - 1, r);
        if (Double.isFinite(v)) return v;
        double sum = 0;
        for (int i = 1; i <= r; i++) sum += Math.log((double) (n - 1 + i) / i);
        return sum;
    }

    /** The default number of median-of-means groups: round(√m), clamped to [1, m]. */
    public static int defaultGroups(int m) {
        if (m < 1) throw new IllegalArgumentException("number of sketches m must be >= 1, got " + m);
        return (int) Math.max(1, Math.min(m, Math.round(Math.sqrt(m))));
    }

    public int defaultGroups() { return defaultGroups(m); }

    public CoefficientTable table() { return table; }

    public DirectionBank directions() { return bank; }

    // ------------------------------------------------------------------------------------------
    // Queries

    /** The prediction for deleting D (w = 1_D), with the default groups. */
    public Prediction predictDeletion(int[] deletionSet) {
        return predictDeletion(deletionSet, defaultGroups());
    }

    /**
     * The prediction for deleting D (w = 1_D). Indices must lie in [0, n) without repeats; their
     * order does not matter (they are summed in ascending order). Empty D gives f(0) exactly.
     */
    public Prediction predictDeletion(int[] deletionSet, int groups) {
        return predictDeletion(deletionSet, groups, 1);
    }

    /**
     * As {@link #predictDeletion(int[], int)} with the terms of degrees below {@code fromDegree}
     * left out (taken as 0): the unbiased part of an answer whose low degrees come from elsewhere.
     */
    Prediction predictDeletion(int[] deletionSet, int groups, int fromDegree) {
        int[] d = checkDeletionSet(deletionSet);
        checkGroups(groups);
        Accumulator acc = run(1, 1, k, groups, fromDegree, (psi, s) -> {
            double re = 0, im = 0;
            for (int i : d) {
                re += psi[2 * i];
                im -= psi[2 * i + 1];
            }
            s[0] = re;
            s[1] = im;
        });
        return acc.prediction(0, f0);
    }

    /** The prediction for weights w, with the default groups. */
    public Prediction predictWeights(double[] weights) {
        return predictWeights(weights, defaultGroups());
    }

    /** The prediction for weights w (n finite values). */
    public Prediction predictWeights(double[] weights, int groups) {
        return predictWeights(weights, groups, 1);
    }

    /** {@link #predictWeights(double[], int)} without the terms below {@code fromDegree}. */
    Prediction predictWeights(double[] weights, int groups, int fromDegree) {
        double[] w = checkWeights(weights);
        checkGroups(groups);
        Accumulator acc = run(1, 1, k, groups, fromDegree, (psi, s) -> weightedSum(w, psi, s, 0));
        return acc.prediction(0, f0);
    }

    /** Leave-one-out at degree d with the default groups. */
    public LeaveOneOut leaveOneOut(int degree) {
        return leaveOneOut(degree, defaultGroups());
    }

    /**
     * For every example i, the degree-d prediction with D = {i}: the same numbers as
     * {@code predictDeletion(new int[] {i}, groups)} at degree d, bit for bit, for O(m·n·d) in all.
     */
    public LeaveOneOut leaveOneOut(int degree, int groups) {
        checkDegree(degree);
        checkGroups(groups);
        Accumulator acc = run(n, degree, degree, groups, (psi, s) -> {
            for (int i = 0; i < n; i++) {
                s[2 * i] = 0.0 + psi[2 * i];
                s[2 * i + 1] = 0.0 - psi[2 * i + 1];
            }
        });
        double[] prediction = new double[n], se = new double[n], mom = new double[n];
        double[] scratch = new double[groups];
        for (int i = 0; i < n; i++) {
            prediction[i] = f0 + acc.mean(i, degree);
            se[i] = acc.standardError(i, degree);
            mom[i] = f0 + acc.medianOfMeans(i, degree, scratch);
        }
        return new LeaveOneOut(f0, degree, m, groups, prediction, se, mom);
    }

    /** The curve t ↦ f̂(t·1_D) with the default groups. */
    public Curve curveDeletion(int[] deletionSet, double[] ts) {
        return curveDeletion(deletionSet, ts, defaultGroups());
    }

    /**
     * The curve t ↦ f̂(t·1_D) at every t of {@code ts} (finite), all degrees. Uses
     * s_j(t·w) = t·s_j(w): the sums over D are formed once.
     */
    public Curve curveDeletion(int[] deletionSet, double[] ts, int groups) {
        int[] d = checkDeletionSet(deletionSet);
        double[] t = checkTs(ts);
        checkGroups(groups);
        Accumulator acc = run(t.length, 1, k, groups, (psi, s) -> {
            double re = 0, im = 0;
            for (int i : d) {
                re += psi[2 * i];
                im -= psi[2 * i + 1];
            }
            scale(re, im, t, s);
        });
        return curve(acc, t);
    }

    /** The curve t ↦ f̂(t·w) with the default groups. */
    public Curve curveWeights(double[] weights, double[] ts) {
        return curveWeights(weights, ts, defaultGroups());
    }

    /** The curve t ↦ f̂(t·w) at every t of {@code ts} (finite), all degrees. */
    public Curve curveWeights(double[] weights, double[] ts, int groups) {
        double[] w = checkWeights(weights);
        double[] t = checkTs(ts);
        checkGroups(groups);
        Accumulator acc = run(t.length, 1, k, groups, (psi, s) -> {
            weightedSum(w, psi, s, 0);
            scale(s[0], s[1], t, s);
        });
        return curve(acc, t);
    }

    private Curve curve(Accumulator acc, double[] t) {
        Prediction[] at = new Prediction[t.length];
        for (int q = 0; q < t.length; q++) at[q] = acc.prediction(q, f0);
        return new Curve(t, at);
    }

    private static void scale(double re, double im, double[] t, double[] s) {
        for (int q = 0; q < t.length; q++) {
            s[2 * q] = t[q] * re;
            s[2 * q + 1] = t[q] * im;
        }
    }

    private void weightedSum(double[] w, double[] psi, double[] s, int at) {
        double re = 0, im = 0;
        for (int i = 0; i < n; i++) {
            double wi = w[i];
            re += wi * psi[2 * i];
            im -= wi * psi[2 * i + 1];
        }
        s[at] = re;
        s[at + 1] = im;
    }

    // ------------------------------------------------------------------------------------------
    // The core loop

    /** Fills s[2q], s[2q+1] with s_j for every query q, given ψ_j. */
    private interface Sums {
        void compute(double[] psi, double[] s);
    }

    private Accumulator run(int queries, int minDegree, int maxDegree, int groups, Sums sums) {
        return run(queries, minDegree, maxDegree, groups, 1, sums);
    }

    private Accumulator run(int queries, int minDegree, int maxDegree, int groups, int fromDegree, Sums sums) {
        Accumulator acc = new Accumulator(queries, minDegree, maxDegree, m, groups);
        double[] scratch = bank.isCached() ? null : new double[2 * n];
        double[] s = new double[2 * queries];
        double[] x = new double[maxDegree];
        for (int j = 0; j < m; j++) {
            double[] psi = bank.view(j, scratch);
            sums.compute(psi, s);
            acc.beginSketch(j);
            for (int q = 0; q < queries; q++) {
                terms(j, s[2 * q], s[2 * q + 1], maxDegree, x);
                for (int r = 1; r < fromDegree && r <= maxDegree; r++) x[r - 1] = 0.0;
                acc.add(q, x);
            }
        }
        return acc;
    }

    /** x[r−1] = X_{j,r} for r = 1..maxDegree, given s = s_j. */
    private void terms(int j, double sRe, double sIm, int maxDegree, double[] x) {
        if (sRe == 0 && sIm == 0) {
            Arrays.fill(x, 0, maxDegree, 0.0);
            return;
        }
        double abs2 = sRe * sRe + sIm * sIm;
        double logS;
        if (abs2 >= Double.MIN_NORMAL && abs2 <= Double.MAX_VALUE) {
            logS = 0.5 * Math.log(abs2);
        } else {
            logS = Math.log(Math.hypot(sRe, sIm));
        }
        double argS = Double.NaN;
        double pRe = 1, pIm = 0;
        int base = j * k - 1;
        for (int r = 1; r <= maxDegree; r++) {
            double t = pRe * sRe - pIm * sIm;
            pIm = pRe * sIm + pIm * sRe;
            pRe = t;
            int q = base + r;
            double logMag = logMagnitude[q];
            if (logMag == Double.NEGATIVE_INFINITY) {
                x[r - 1] = 0.0;
                continue;
            }
            double rLogS = r * logS;
            double v;
            if (direct[q] && Math.abs(rLogS) < DIRECT_LIMIT) {
                v = aRe[q] * pRe - aIm[q] * pIm;
            } else {
                if (Double.isNaN(argS)) argS = Math.atan2(sIm, sRe);
                v = Math.exp(logMag + rLogS) * Math.cos(phase[q] + r * argS);
            }
            if (!Double.isFinite(v)) {
                throw new ArithmeticException(String.format(Locale.ROOT,
                        "the degree-%d term of sketch %d (direction %d) is out of the double range: "
                                + "log2|C(n+r-1,r)·c·s^r| = %.1f (n = %d, |s| = %.3g)",
                        r, j, table.directionIndex(j), (logMag + rLogS) / Math.log(2), n, Math.exp(logS)));
            }
            x[r - 1] = v;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Input checks

    private int[] checkDeletionSet(int[] deletionSet) {
        if (deletionSet == null) throw new IllegalArgumentException("deletion set is null");
        int[] d = deletionSet.clone();
        for (int i : d) {
            if (i < 0 || i >= n) {
                throw new IllegalArgumentException("deletion set index " + i + " is outside [0, " + n + ")");
            }
        }
        Arrays.sort(d);
        for (int t = 1; t < d.length; t++) {
            if (d[t] == d[t - 1]) throw new IllegalArgumentException("deletion set index " + d[t] + " is repeated");
        }
        return d;
    }

    private double[] checkWeights(double[] weights) {
        if (weights == null) throw new IllegalArgumentException("weight vector is null");
        if (weights.length != n) {
            throw new IllegalArgumentException("weight vector has length " + weights.length + ", expected n = " + n);
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(weights[i])) {
                throw new IllegalArgumentException("weight w[" + i + "] is not finite: " + weights[i]);
            }
        }
        return weights.clone();
    }

    private static double[] checkTs(double[] ts) {
        if (ts == null) throw new IllegalArgumentException("t grid is null");
        for (int q = 0; q < ts.length; q++) {
            if (!Double.isFinite(ts[q])) throw new IllegalArgumentException("t[" + q + "] is not finite: " + ts[q]);
        }
        return ts.clone();
    }

    private void checkGroups(int groups) {
        if (groups < 1 || groups > m) {
            throw new IllegalArgumentException("number of groups must be in [1, m = " + m + "], got " + groups
                    + (groups > m ? " (more groups than sketches)" : ""));
        }
    }

    private void checkDegree(int degree) {
        if (degree < 1 || degree > k) {
            throw new IllegalArgumentException("degree must be in [1, k = " + k + "], got " + degree);
        }
    }

    @Override
    public String toString() {
        return "DeletionEstimator[" + table + ", " + bank + "]";
    }
}
