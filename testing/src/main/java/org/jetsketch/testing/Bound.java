package org.jetsketch.testing;

import java.util.Locale;

/**
 * A bound on the change f(1_D) − f(0) of a measurement. The truth of a bound is constant between
 * its boundary points, so an interval that contains no boundary point decides it: that is how a
 * confidence interval becomes a pass, a fail or "inconclusive". Immutable.
 */
final class Bound {
    enum Kind { LESS_THAN, AT_LEAST, IN_RANGE, AT_MOST, NOT_ABOVE }

    private final Kind kind;
    private final double a;
    private final double b;

    private Bound(Kind kind, double a, double b) {
        this.kind = kind;
        this.a = a;
        this.b = b;
    }

    /** |change| &lt; eps. */
    static Bound lessThan(double eps) {
        if (!(eps > 0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException("byLessThan(eps) needs a finite eps > 0, got " + eps);
        }
        return new Bound(Kind.LESS_THAN, eps, eps);
    }

    /** |change| ≥ delta. */
    static Bound atLeast(double delta) {
        if (!(delta >= 0) || !Double.isFinite(delta)) {
            throw new IllegalArgumentException("byAtLeast(delta) needs a finite delta >= 0, got " + delta);
        }
        return new Bound(Kind.AT_LEAST, delta, delta);
    }

    /** lo ≤ change ≤ hi. */
    static Bound inRange(double lo, double hi) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || lo > hi) {
            throw new IllegalArgumentException("inRange(lo, hi) needs finite lo <= hi, got [" + lo + ", " + hi + "]");
        }
        return new Bound(Kind.IN_RANGE, lo, hi);
    }

    /** |change| ≤ eps (the leave-one-out guard's "by no more than eps"). */
    static Bound atMost(double eps) {
        if (!(eps >= 0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException("byMoreThan(eps) needs a finite eps >= 0, got " + eps);
        }
        return new Bound(Kind.AT_MOST, eps, eps);
    }

    /** value ≤ t (signed; used for the decay of the stability profile). */
    static Bound notAbove(double t) {
        if (!Double.isFinite(t)) throw new IllegalArgumentException("threshold must be finite, got " + t);
        return new Bound(Kind.NOT_ABOVE, t, t);
    }

    boolean holds(double change) {
        return switch (kind) {
            case LESS_THAN -> Math.abs(change) < a;
            case AT_LEAST -> Math.abs(change) >= a;
            case IN_RANGE -> change >= a && change <= b;
            case AT_MOST -> Math.abs(change) <= a;
            case NOT_ABOVE -> change <= a;
        };
    }

    /** The distance from {@code change} to the nearest point where the bound's truth flips. */
    double margin(double change) {
        return switch (kind) {
            case LESS_THAN, AT_LEAST, AT_MOST -> Math.abs(Math.abs(change) - a);
            case IN_RANGE -> Math.min(Math.abs(change - a), Math.abs(change - b));
            case NOT_ABOVE -> Math.abs(change - a);
        };
    }

    /** What the assertion asks, as the fluent call reads: "by less than 0.1". */
    String describe() {
        return switch (kind) {
            case LESS_THAN -> "by less than " + Fmt.num(a) + " (|change| < " + Fmt.num(a) + ")";
            case AT_LEAST -> "by at least " + Fmt.num(a) + " (|change| >= " + Fmt.num(a) + ")";
            case IN_RANGE -> String.format(Locale.ROOT, "by a change in [%s, %s]", Fmt.num(a), Fmt.num(b));
            case AT_MOST -> "by more than " + Fmt.num(a) + " (every |change| must be <= " + Fmt.num(a) + ")";
            case NOT_ABOVE -> "<= " + Fmt.num(a);
        };
    }
}
