package org.jetsketch.circuit;

import java.util.Arrays;
import org.jetsketch.jet.JetLayout;
import org.jetsketch.jet.Jets;

/**
 * Where the branch decisions of jet code stop being valid. Generated code decides every branch on
 * an active value by a real part (a comparison, {@code max}, {@code min}, {@code abs},
 * {@code relu}); the Taylor series it computes is that of the branch taken, and is right only as
 * long as no decision along the way would come out differently. Before each such decision the
 * generated jet code hands this monitor the jet of the compared difference d (a − b, a − k, or
 * a itself for abs and relu) with a site id, and the monitor keeps, per direction of the pass,
 * the smallest switching radius seen and the site that set it.
 *
 * <h2>The bound</h2>
 * With d(z) = d_0 + Σ_{r=1..k} d_r z^r the degree-k Taylor polynomial of the difference along one
 * direction, the radius is the positive root ρ of
 * <pre>    |d_0| = Σ_{r=1..k} s_r |d_r| ρ^r</pre>
 * (s_r = 1 unless {@link #scale scaled}). For every complex z with |z| &lt; ρ,
 * |d(z) − d_0| ≤ Σ |d_r| |z|^r &lt; |d_0|, so d(z) cannot reach zero and its real part keeps the
 * sign of d_0: ρ is a rigorous lower bound of the smallest |z| at which the decision can change
 * (in particular of the smallest real t with d(t) = 0). It is attained by the worst complex z of
 * that modulus; along a real t with a dominant linear term it is the crossing |d_0 / d_1| itself.
 * d_0 = 0 (a tie) gives 0 unless the whole jet is 0 (the difference is identically zero: never
 * switches, +∞); a jet with no higher terms gives +∞.
 *
 * <h2>Cost</h2>
 * A decision costs one Horner evaluation per direction (O(k)): the root is only computed when it
 * would lower that direction's running minimum, by bisection on a bracket from the single-term
 * bounds, keeping the lower end (so the result stays a lower bound). Nothing is allocated per
 * call. A pass without decisions on active values never calls the monitor.
 *
 * <p>Not thread-safe: one per jet workspace (a {@code JetTrainer} makes one and hands it to its
 * workspace as the {@link org.jetsketch.circuit.BranchObserver}).
 */
public final class BranchMonitor implements BranchObserver {
    /** Bisection steps: the bracket is at most a factor k wide, so 2^-40 k relative precision. */
    private static final int BISECTIONS = 40;

    private final int k;
    private final int directions;
    private final JetLayout layout;
    private final double[] scale;
    /** s_r |d_r| of the direction at hand, r = 1..k (index r). */
    private final double[] magnitude;
    private final double[] radius;
    private final int[] site;

    public BranchMonitor(Jets jets) {
        this.k = jets.degree();
        this.directions = jets.directions();
        this.layout = jets.layout();
        this.scale = new double[k + 1];
        Arrays.fill(scale, 1.0);
        this.magnitude = new double[k + 1];
        this.radius = new double[directions];
        this.site = new int[directions];
        reset();
    }

    /**
     * Weights s_r of the coefficients (index r = 1..k; index 0 is ignored), for directions whose
     * variable is not the one the radius should be measured in; all 1 by default. The
     * {@code Sketcher} passes sqrt(C(n+r−1, r)) (see its documentation).
     */
    public void scale(double[] weights) {
        if (weights.length != k + 1) {
            throw new IllegalArgumentException("scale needs " + (k + 1) + " weights (index 0..k), got " + weights.length);
        }
        for (int r = 1; r <= k; r++) {
            if (!(weights[r] > 0) || !Double.isFinite(weights[r])) {
                throw new IllegalArgumentException("scale weight " + r + " must be positive and finite, got " + weights[r]);
            }
        }
        System.arraycopy(weights, 0, scale, 0, k + 1);
    }

    /** Forgets every decision seen: every radius +∞, no site. */
    public void reset() {
        Arrays.fill(radius, Double.POSITIVE_INFINITY);
        Arrays.fill(site, -1);
    }

    /** The smallest switching radius seen along direction {@code b} since the last reset (+∞: none). */
    public double radius(int b) { return radius[b]; }

    /** The site id of {@link #radius(int)} ({@code -1}: none). */
    public int site(int b) { return site[b]; }

    public int directions() { return directions; }

    // ---------------------------------------------------------------- the hook (generated jet code)

    /** A decision on the sign of a − b, the jets at offsets {@code oa} and {@code ob} of {@code v}. */
    public void difference(int siteId, double[] v, int oa, int ob) {
        difference(siteId, v, oa, v, ob);
    }

    /** A decision on the sign of a − b, the jets {@code (v, oa)} and {@code (w, ob)}. */
    @Override
    public void difference(int siteId, double[] v, int oa, double[] w, int ob) {
        double d0 = Math.abs(v[oa] - w[ob]);
        for (int b = 0; b < directions; b++) {
            double total = 0;
            for (int r = 1; r <= k; r++) {
                int re = coefficient(r, b), im = layout.im(0, r, b);
                double m = scale[r] * modulus(v[oa + re] - w[ob + re], v[oa + im] - w[ob + im]);
                magnitude[r] = m;
                total += m;
            }
            consider(b, siteId, d0, total);
        }
    }

    /** A decision on the sign of a − c for a real constant c (abs and relu: c = 0). */
    @Override
    public void differenceConst(int siteId, double[] v, int oa, double c) {
        double d0 = Math.abs(v[oa] - c);
        for (int b = 0; b < directions; b++) {
            double total = 0;
            for (int r = 1; r <= k; r++) {
                int re = coefficient(r, b), im = layout.im(0, r, b);
                double m = scale[r] * modulus(v[oa + re], v[oa + im]);
                magnitude[r] = m;
                total += m;
            }
            consider(b, siteId, d0, total);
        }
    }

    private static double modulus(double re, double im) { return Math.sqrt(re * re + im * im); }

    /** Offset of the real part of coefficient r of direction b within a jet ({@link JetLayout}). */
    int coefficient(int r, int b) { return layout.re(0, r, b); }

    /** Lowers direction b's radius to that of the polynomial in {@link #magnitude}, if smaller. */
    private void consider(int b, int siteId, double d0, double total) {
        if (total == 0) return; // no higher terms: this decision never changes along the direction
        double best = radius[b];
        if (d0 == 0) {
            if (best > 0) {
                radius[b] = 0;
                site[b] = siteId;
            }
            return;
        }
        if (best != Double.POSITIVE_INFINITY && !(excess(best, d0) > 0)) return; // the root is >= best
        // bracket [lo, hi]: one term alone reaching d0 bounds the root from above; all terms below
        // d0 / terms bound it from below
        int terms = 0;
        for (int r = 1; r <= k; r++) if (magnitude[r] > 0) terms++;
        double hi = best;
        double lo = Double.POSITIVE_INFINITY;
        for (int r = 1; r <= k; r++) {
            double m = magnitude[r];
            if (m == 0) continue;
            hi = Math.min(hi, Math.pow(d0 / m, 1.0 / r));
            lo = Math.min(lo, Math.pow(d0 / (terms * m), 1.0 / r));
        }
        if (!Double.isFinite(lo)) return; // NaN, or a radius beyond any double
        while (lo > 0 && excess(lo, d0) > 0) lo *= 0.5; // pow rounded above the root: stay below it
        for (int i = 0; i < BISECTIONS && Double.isFinite(hi); i++) {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) break;
            if (excess(mid, d0) > 0) hi = mid;
            else lo = mid;
        }
        if (lo < best) {
            radius[b] = lo;
            site[b] = siteId;
        }
    }

    /** Σ_r magnitude_r ρ^r − d0 (Horner). */
    private double excess(double rho, double d0) {
        double s = 0;
        for (int r = k; r >= 1; r--) s = (s + magnitude[r]) * rho;
        return s - d0;
    }
}
