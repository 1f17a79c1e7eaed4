package org.jetsketch.predict;

import java.util.Arrays;

/**
 * Running statistics over sketches j = 0..m−1 (in table order) of Y_{j,d} = Σ_{r≤d} X_{j,r} for
 * several queries at once and a contiguous range of degrees: Welford's mean and sum of squared
 * deviations, and per-group sums for the median of means. All estimators feed sketches through
 * this one class in the same order with the same arithmetic, which is why leave-one-out and the
 * single-set estimator agree bit for bit.
 */
final class Accumulator {

    private final int queries;
    private final int minDegree;
    private final int maxDegree;
    private final int width;
    private final int m;
    private final int groups;
    private final int[] groupOf;
    private final int[] groupSize;
    private final double[] mean;
    private final double[] m2;
    private final double[] groupSum;
    private double inverseCount;
    private int group;

    Accumulator(int queries, int minDegree, int maxDegree, int m, int groups) {
        this.queries = queries;
        this.minDegree = minDegree;
        this.maxDegree = maxDegree;
        this.width = maxDegree - minDegree + 1;
        this.m = m;
        this.groups = groups;
        long cells = (long) queries * width;
        long groupCells = cells * groups;
        if (groupCells > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("median of means over " + groups + " groups for " + queries
                    + " queries at " + width + " degrees needs " + groupCells + " cells, too many; use fewer groups");
        }
        this.mean = new double[(int) cells];
        this.m2 = new double[(int) cells];
        this.groupSum = new double[(int) groupCells];
        this.groupOf = new int[m];
        this.groupSize = new int[groups];
        int base = m / groups, extra = m % groups, j = 0;
        for (int g = 0; g < groups; g++) {
            groupSize[g] = base + (g < extra ? 1 : 0);
            for (int t = 0; t < groupSize[g]; t++) groupOf[j++] = g;
        }
    }

    /** Starts sketch j; sketches must come in order 0, 1, …, m−1. */
    void beginSketch(int j) {
        inverseCount = 1.0 / (j + 1);
        group = groupOf[j];
    }

    /** Adds the terms x[0..maxDegree) = X_{j,1..maxDegree} of the current sketch for one query. */
    void add(int query, double[] x) {
        double y = 0;
        int cell = query * width - minDegree;
        int gcell = (group * queries + query) * width - minDegree;
        for (int r = 1; r <= maxDegree; r++) {
            y += x[r - 1];
            if (r >= minDegree) {
                double delta = y - mean[cell + r];
                mean[cell + r] += delta * inverseCount;
                m2[cell + r] += delta * (y - mean[cell + r]);
                groupSum[gcell + r] += y;
            }
        }
    }

    /** mean_j Y_{j,d}. */
    double mean(int query, int d) {
        return mean[query * width + d - minDegree];
    }

    /** s.d._j(Y_{j,d}) / √m; NaN if m = 1. */
    double standardError(int query, int d) {
        if (m < 2) return Double.NaN;
        return Math.sqrt(m2[query * width + d - minDegree] / (m - 1)) / Math.sqrt(m);
    }

    /** The median over groups of the group means of Y_{j,d}; scratch holds G doubles. */
    double medianOfMeans(int query, int d, double[] scratch) {
        for (int g = 0; g < groups; g++) {
            scratch[g] = groupSum[(g * queries + query) * width + d - minDegree] / groupSize[g];
        }
        Arrays.sort(scratch, 0, groups);
        int h = groups / 2;
        return groups % 2 == 1 ? scratch[h] : 0.5 * (scratch[h - 1] + scratch[h]);
    }

    /** A Prediction of every degree 1..k (this accumulator must track 1..k). */
    Prediction prediction(int query, double f0) {
        double[] mn = new double[maxDegree + 1], se = new double[maxDegree + 1], mom = new double[maxDegree + 1];
        double[] scratch = new double[groups];
        mn[0] = f0;
        mom[0] = f0;
        for (int d = 1; d <= maxDegree; d++) {
            mn[d] = f0 + mean(query, d);
            se[d] = standardError(query, d);
            mom[d] = f0 + medianOfMeans(query, d, scratch);
        }
        return new Prediction(f0, m, groups, mn, se, mom);
    }
}
