package org.jetsketch.predict;

import java.util.Random;

/** Random coefficient tables for tests that need no closed-form truth. */
final class RandomTables {

    private RandomTables() {}

    static CoefficientTable table(int n, int m, int k, double f0, long seed) {
        Random r = new Random(seed);
        int[] idx = new int[m];
        double[] f0s = new double[m];
        double[] c = new double[m * 2 * k];
        for (int j = 0; j < m; j++) {
            idx[j] = 2 * j + 1;
            f0s[j] = f0;
        }
        for (int i = 0; i < c.length; i++) c[i] = r.nextGaussian() / (1 + (i % (2 * k)) / 2);
        return CoefficientTable.of(n, seed ^ 0x55, k, idx, f0s, c);
    }
}
