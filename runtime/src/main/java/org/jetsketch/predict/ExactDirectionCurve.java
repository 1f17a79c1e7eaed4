package org.jetsketch.predict;

import org.jetsketch.sketch.BranchSwitch;

/**
 * The exact-direction mode (scheme §7): one jet training along a real direction v (e.g. v = 1_D,
 * not normalised) gives the real Taylor coefficients c_0..c_k of t ↦ f(t·v), and the degree-d
 * curve is Σ_{r≤d} c_r t^r. No sampling is involved. Immutable.
 */
public final class ExactDirectionCurve {

    private final double[] c;
    private final BranchSwitch branch;

    /**
     * @param coefficients c_0..c_k (k+1 &gt;= 2 finite values; k &gt;= 1)
     */
    public ExactDirectionCurve(double[] coefficients) {
        this(coefficients, BranchSwitch.NONE);
    }

    /**
     * @param coefficients c_0..c_k (k+1 &gt;= 2 finite values; k &gt;= 1)
     * @param branch       where a branch decision of the jet training could switch, in t
     */
    public ExactDirectionCurve(double[] coefficients, BranchSwitch branch) {
        if (branch == null) throw new IllegalArgumentException("branch is null (use BranchSwitch.NONE)");
        this.branch = branch;
        if (coefficients == null) throw new IllegalArgumentException("coefficients are null");
        if (coefficients.length < 2) {
            throw new IllegalArgumentException("need c_0..c_k with k >= 1, got " + coefficients.length
                    + " coefficient(s) (k = " + (coefficients.length - 1) + ")");
        }
        for (int r = 0; r < coefficients.length; r++) {
            if (!Double.isFinite(coefficients[r])) {
                throw new IllegalArgumentException("coefficient c_" + r + " is not finite: " + coefficients[r]);
            }
        }
        this.c = coefficients.clone();
    }

    /**
     * The smallest |t| at which a branch decision on active values met by the jet training (and
     * the measurement) could switch, and its source position; {@link BranchSwitch#NONE} if none was
     * met. Beyond it the curve is an extrapolation of the branch taken at t = 0.
     */
    public BranchSwitch branchSwitch() { return branch; }

    /** k. */
    public int degree() { return c.length - 1; }

    /** c_r. */
    public double coefficient(int r) { return c[checkDegree(r)]; }

    /** Σ_{r≤d} c_r t^r (Horner's rule), d in 0..k. */
    public double value(double t, int degree) {
        checkDegree(degree);
        checkT(t, "t");
        double v = c[degree];
        for (int r = degree - 1; r >= 0; r--) v = v * t + c[r];
        return v;
    }

    /**
     * The curve at every t and every degree: {@code result[q][d] = Σ_{r≤d} c_r t_q^r} for
     * d = 0..k (partial sums with running powers of t).
     */
    public double[][] values(double[] ts) {
        if (ts == null) throw new IllegalArgumentException("t grid is null");
        double[][] out = new double[ts.length][c.length];
        for (int q = 0; q < ts.length; q++) {
            double t = checkT(ts[q], "t[" + q + "]");
            double power = 1, sum = 0;
            for (int r = 0; r < c.length; r++) {
                sum += c[r] * power;
                out[q][r] = sum;
                power *= t;
            }
        }
        return out;
    }

    private int checkDegree(int d) {
        if (d < 0 || d >= c.length) {
            throw new IllegalArgumentException("degree must be in [0, " + (c.length - 1) + "], got " + d);
        }
        return d;
    }

    private static double checkT(double t, String what) {
        if (!Double.isFinite(t)) throw new IllegalArgumentException(what + " is not finite: " + t);
        return t;
    }
}
