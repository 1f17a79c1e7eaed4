package org.jetsketch.testing;

/**
 * The decision of a confidence interval estimate ± h about a bound: it passes when the whole
 * interval satisfies the bound, fails when the whole interval violates it, and is inconclusive
 * when it contains a boundary point.
 */
enum Verdict {
    PASS, FAIL, INCONCLUSIVE;

    static Verdict of(Bound bound, double estimate, double halfWidth) {
        if (!(halfWidth >= 0) || Double.isInfinite(halfWidth)) return INCONCLUSIVE;
        if (bound.margin(estimate) <= halfWidth) return INCONCLUSIVE;
        return bound.holds(estimate) ? PASS : FAIL;
    }

    /**
     * The m at which the half-width, shrinking as 1/√m from {@code halfWidth} at {@code m}, falls
     * below {@code margin}: the smallest integer above m·(h/margin)²; −1 if none does.
     */
    static long directionsNeeded(int m, double halfWidth, double margin) {
        if (!(margin > 0) || !(halfWidth >= 0) || Double.isInfinite(halfWidth)) return -1;
        double ratio = halfWidth / margin;
        double needed = Math.floor(m * ratio * ratio) + 1;
        return needed > Long.MAX_VALUE / 2 ? -1 : Math.max(m + 1, (long) needed);
    }
}
