package org.jetsketch.predict;

/**
 * The predicted curve t ↦ f̂(t·w) on a grid of t, at every degree: one {@link Prediction} per
 * grid point. Immutable.
 */
public final class Curve {

    private final double[] t;
    private final Prediction[] at;

    Curve(double[] t, Prediction[] at) {
        this.t = t;
        this.at = at;
    }

    /** The number of grid points. */
    public int size() { return t.length; }

    /** A copy of the grid. */
    public double[] t() { return t.clone(); }

    public double t(int q) { return t[check(q)]; }

    /** The prediction at grid point q, i.e. at weights t(q)·w. */
    public Prediction at(int q) { return at[check(q)]; }

    /** The degree-d mean estimate at every grid point. */
    public double[] means(int d) {
        double[] v = new double[t.length];
        for (int q = 0; q < v.length; q++) v[q] = at[q].mean(d);
        return v;
    }

    /** The degree-d standard error at every grid point. */
    public double[] standardErrors(int d) {
        double[] v = new double[t.length];
        for (int q = 0; q < v.length; q++) v[q] = at[q].standardError(d);
        return v;
    }

    private int check(int q) {
        if (q < 0 || q >= t.length) {
            throw new IllegalArgumentException("grid index must be in [0, " + t.length + "), got " + q);
        }
        return q;
    }

    @Override
    public String toString() { return "Curve[" + t.length + " points]"; }
}
