package org.jetsketch.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The small data sets of the examples, generated from a seed (nothing is downloaded). Each puts
 * the examples a user would want to delete at known indices: the last ones.
 */
public final class Datasets {
    private Datasets() {}

    /** The true coefficients of the regression data: y = 1 + 1.5 x0 − 2 x1 + 0.5 x2 + noise. */
    static final double[] TRUE_W = {1.5, -2.0, 0.5};
    static final double TRUE_BIAS = 1.0;

    /**
     * Regression data: {@code clean} points x ~ N(0, I_3), y = 1 + 1.5 x0 − 2 x1 + 0.5 x2 +
     * N(0, 0.3²), followed by {@code outliers} points from one faulty source: a tight cluster
     * around x = (1.5, 1, 0) whose targets are all 5 too high.
     */
    public static List<RegressionPoint> regressionWithOutlierCluster(int clean, int outliers, long seed) {
        Random r = new Random(seed);
        List<RegressionPoint> out = new ArrayList<>();
        for (int i = 0; i < clean + outliers; i++) {
            double[] x = new double[3];
            boolean outlier = i >= clean;
            for (int j = 0; j < 3; j++) x[j] = outlier ? 0.3 * r.nextGaussian() : r.nextGaussian();
            if (outlier) {
                x[0] += 1.5;
                x[1] += 1.0;
            }
            double y = TRUE_BIAS + 0.3 * r.nextGaussian();
            for (int j = 0; j < 3; j++) y += TRUE_W[j] * x[j];
            if (outlier) y += 5.0;
            out.add(new RegressionPoint(x, y));
        }
        return out;
    }

    /**
     * Two Gaussian classes in the plane, N((−1, −0.5), I) labelled 0 and N((1, 0.5), I) labelled 1,
     * {@code perClass} each (alternating), followed by {@code mislabelled} points drawn from class
     * 1's distribution but labelled 0 (an annotator's systematic mistake).
     */
    public static List<LabeledPoint> twoClassesWithMislabelled(int perClass, int mislabelled, long seed) {
        Random r = new Random(seed);
        List<LabeledPoint> out = new ArrayList<>();
        for (int i = 0; i < 2 * perClass; i++) {
            int label = i % 2;
            double s = label == 1 ? 1 : -1;
            out.add(new LabeledPoint(new double[] {s + r.nextGaussian(), 0.5 * s + r.nextGaussian()}, label));
        }
        for (int i = 0; i < mislabelled; i++) {
            out.add(new LabeledPoint(new double[] {1.5 + 0.5 * r.nextGaussian(), 0.75 + 0.5 * r.nextGaussian()}, 0));
        }
        return out;
    }

    /** The centre of class c in {@link #threeClassesWithMislabelled}: radius 2, angle 2πc/3. */
    static double[] centre(int c) {
        double a = 2 * Math.PI * c / 3;
        return new double[] {2 * Math.cos(a), 2 * Math.sin(a)};
    }

    /**
     * Three Gaussian blobs (σ = 0.8) around {@link #centre(int) centre(c)}, {@code perClass} each
     * (cycling through the classes), followed by {@code mislabelled} points drawn from class 1's
     * blob but labelled 0.
     */
    public static List<LabeledPoint> threeClassesWithMislabelled(int perClass, int mislabelled, long seed) {
        Random r = new Random(seed);
        List<LabeledPoint> out = new ArrayList<>();
        for (int i = 0; i < 3 * perClass; i++) {
            int c = i % 3;
            double[] m = centre(c);
            out.add(new LabeledPoint(new double[] {m[0] + 0.8 * r.nextGaussian(), m[1] + 0.8 * r.nextGaussian()}, c));
        }
        double[] m = centre(1);
        for (int i = 0; i < mislabelled; i++) {
            out.add(new LabeledPoint(new double[] {m[0] + 0.8 * r.nextGaussian(), m[1] + 0.8 * r.nextGaussian()}, 0));
        }
        return out;
    }

    /** The indices {@code from, from+1, ..., to-1}. */
    static int[] range(int from, int to) {
        int[] out = new int[to - from];
        for (int i = 0; i < out.length; i++) out[i] = from + i;
        return out;
    }
}
