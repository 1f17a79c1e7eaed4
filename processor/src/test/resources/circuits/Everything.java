package org.jetsketch.processor.fixture;

import org.jetsketch.dsl.Circuit;
import org.jetsketch.dsl.Fn;
import org.jetsketch.dsl.Grads;
import org.jetsketch.dsl.Loss;
import org.jetsketch.dsl.Measurement;
import org.jetsketch.dsl.Param;
import org.jetsketch.dsl.Params;
import org.jetsketch.dsl.State;
import org.jetsketch.dsl.Step;
import org.jetsketch.dsl.Steps;
import org.jetsketch.dsl.TrainingStep;

/**
 * A circuit that uses every construct of the supported subset at least once, so that
 * EveryConstructTest can check each against plain Java and finite differences. It is a test
 * fixture, not a model: the arithmetic is arbitrary but smooth at the test's parameters.
 */
@Circuit
public class Everything {
    static final double HALF = 0.5;
    static final int THREE = 3;
    static final long BIG = 7L;
    static final boolean ON = true;
    static final double NEGATIVE = -0.75;
    static final int MINUS_TWO = -2;
    static final double[] TABLE = {0.25, -0.5, 0.75};

    @Param double bias;
    @Param double[] w;
    @Param double[][] m;

    final double scale;
    final int rows;
    final long seedish;
    final boolean useTail;
    final int[] order;
    final double[][] mix;

    public Everything(double bias, double[] w, double[][] m) {
        this.bias = bias;
        this.w = w;
        this.m = m;
        this.scale = 0.8;
        this.rows = m.length;
        this.seedish = 3L;
        this.useTail = true;
        this.order = new int[] {2, 0, 1};
        this.mix = new double[][] {{0.5, 0.25}, {-0.25, 0.125}};
    }

    public static final class Extra {
        public final double weight;
        public final int[] picks;

        public Extra(double weight, int[] picks) {
            this.weight = weight;
            this.picks = picks;
        }
    }

    public record Sample(double[] x, int label, String name, Extra extra) {}

    @Loss
    double loss(Sample s) {
        double[] x = s.x();
        int n = x.length;
        double acc = bias;
        // 1-D active array, helper returning double[], for with continue
        double[] h = affine(x);
        for (int i = 0; i < h.length; i++) {
            if (i == 1) continue;
            acc += h[i] * TABLE[i % TABLE.length];
        }
        // 2-D active array from a helper, ragged creation, initializers
        double[][] outer = outer(h, x);
        double[][] ragged = new double[2][];
        ragged[0] = new double[] {acc, 1.0};
        ragged[1] = outer[0];
        double[] init = {h[0], 2.0 * h[1], HALF};
        double[][] grid = {{1.0, 2.0}, {3.0, acc}};
        acc += ragged[0][0] * 0.1 + ragged[1][1] + init[2] * init[1] + grid[1][1] * 0.01 + grid[0][1] * 0.1;
        // int, long, boolean arrays
        int[] counts = new int[THREE];
        long[] longs = {1L, 2L, BIG};
        boolean[] flags = new boolean[2];
        int[][] ig = new int[2][2];
        long[][] lg = {{1L}, {2L, 3L}};
        boolean[][] bg = new boolean[][] {{true, false}, {false, true}};
        flags[1] = ON;
        ig[1][0] = 4;
        counts[2]++;
        counts[0] += 2;
        counts[1] = counts[0] << 1;
        counts[1] >>= 1;
        counts[1] %= 5;
        counts[2] |= 8;
        counts[2] ^= 1;
        counts[2] &= 0xff;
        longs[0] *= 3;
        int bits = ~counts[0] >>> 28;
        acc += 0.01 * (counts[0] + counts[1] + counts[2] + longs[0] + lg[1][1] + ig[1][0] + bits);
        if (flags[1] && bg[1][1] && !bg[0][1]) acc *= 1.5; else acc *= 0.5;
        // while, do, break
        int k = 0;
        while (true) {
            k++;
            if (k >= 3) break;
        }
        double prod = 1.0;
        do {
            prod *= 1.0 + 0.1 * w[k % w.length];
            k--;
        } while (k > 0);
        acc -= prod;
        acc += (1.0 - w[2]) + w[1] / 4.0 + 2.0 / (3.0 + Fn.square(w[0]));
        // negative constants, and updates of active elements at indices with side effects
        acc += w[0] - NEGATIVE + -NEGATIVE * w[1] + -MINUS_TWO;
        double[] packed = new double[4];
        int at = 0;
        packed[at++] += w[0];
        packed[at++] = w[1] * NEGATIVE;
        packed[at]++;
        packed[at++] *= w[2];
        double[][] cells = new double[2][2];
        int row = 0;
        cells[row++][row] -= w[1];
        cells[row][row--] += packed[0] + packed[1] + packed[2];
        acc += 0.5 * (cells[0][1] + cells[1][1]) + at + row;
        // helpers returning int and boolean, a void helper writing into an array it is passed
        int[] primes = {2, 3, 5};
        double[] filled = new double[3];
        fill(filled, w[2]);
        if (isSmall(primes[1]) && count(primes) == 3) acc += filled[1] * primes[2];
        acc /= 1.0 + 0.5 * Fn.square(w[0]);
        // if/else chains and ?:
        double branch;
        if (acc > 2) {
            branch = acc;
        } else if (acc > 0) {
            branch = 2 * acc;
        } else if (acc > -2) {
            branch = -acc;
        } else {
            branch = 0;
        }
        double pick = s.label() == 1 ? m[0][0] : m[1][0];
        double sel = acc > 0 ? acc : -acc;
        // ++/-- on active values
        double counter = w[1];
        counter++;
        counter--;
        ++counter;
        --counter;
        counter += 0.25;
        counter -= w[0];
        counter *= w[2];
        counter /= 2.0 + Fn.square(bias);
        // instance hyperparameters, example field/array/string reads
        double data = s.extra().weight * x[order[0]] + s.extra().picks.length + s.name().length()
                + (s.name().charAt(0) == 'a' ? 1.0 : 0.0) + mix[1][0];
        for (int r = 0; r < rows; r++) {
            if (useTail && r == rows - 1) break;
            data += 0.01 * seedish * r;
        }
        int q = (int) (data * 10) / 3;
        double intDiv = q / 2 + 7 / 2;
        // every function with a rule
        double z = 0.3 * acc + 0.1 * branch + pick;
        double f = Math.exp(0.1 * z) + Math.log(1.0 + Fn.square(z)) + Math.log1p(Fn.square(w[1]))
                + Math.expm1(0.2 * w[2]) + Math.sqrt(2.0 + Math.tanh(z)) + Math.abs(w[0] - w[1])
                + Math.max(z, 0.5 * w[2]) + Math.min(w[1], -w[0]) + Math.pow(2.0 + Fn.sigmoid(z), 2)
                + Math.pow(1.0 + Fn.square(w[1]), 1.5) + Math.pow(1.5, w[2]) + Math.pow(1.0 + Fn.sigmoid(w[0]), w[1])
                + Fn.rsqrt(1.0 + Fn.square(w[2])) + Fn.softplus(z) + Fn.erf(0.5 * z) + Fn.gelu(w[0])
                + Fn.relu(w[1] - w[0]) + Fn.sigmoid(-z) + StrictMath.exp(0.01 * w[2]);
        acc += 0.1 * corners(s, acc, h);
        // helpers: instance double, static double[], instance double[][]
        double[][] two = rowsOf(scaled(h, 0.5));
        double helpers = dot(two[0]) + dot(two[1]) + two[1][2];
        return scale * (f + 0.01 * sel + 0.1 * counter + 0.001 * data * intDiv) + norm(outer) + -w[0] * +w[1]
                + 0.1 * helpers;
    }

    static void fill(double[] out, double value) {
        for (int i = 0; i < out.length; i++) out[i] = value * (i + 1);
    }

    static boolean isSmall(int n) {
        return n < THREE + 1;
    }

    int count(int[] a) {
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] > 0) n++;
        }
        return n;
    }

    /** Less common combinations: arrays chosen by ?:, rows of parameters, chars, mixed types. */
    double corners(Sample s, double acc, double[] h) {
        double[] x = s.x();
        double[] either = x.length > 2 ? h : x;
        double[] row = paramRow(1);
        double[][] whole = m;
        double t = either[0] + row[0] * whole[2][1] + w.length + scaledBias(bias);
        long big = 0;
        for (long i = 0; i < 3; i++) big += i;
        String name = s.name();
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) == 'a') t += w[0];
        }
        boolean positive = false;
        if (acc > 0 && w[0] < 1) positive = true;
        t += positive ? acc : -acc;
        if (acc > rows) t *= 0.5;
        { ; }
        t += 1;
        t *= 2;
        t = -t;
        double fromChar = 'a';
        int n = Math.max(x.length, 2);
        t += fromChar * 0.001 + n / (2.0 + Fn.square(acc)) + (double) n * w[1] + big + x[Math.min(n, 2)];
        return t;
    }

    double[] paramRow(int i) {
        return m[i];
    }

    double scaledBias(double b) {
        return 0.5 * b * scale;
    }

    double dot(double[] a) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += w[i] * a[i];
        return s;
    }

    static double[] scaled(double[] a, double k) {
        double[] out = new double[a.length];
        int i = 0;
        while (i < a.length) {
            out[i] = k * a[i];
            i++;
        }
        return out;
    }

    double[][] rowsOf(double[] a) {
        double[][] out = new double[2][];
        out[0] = a;
        out[1] = new double[a.length];
        for (int i = a.length - 1; i >= 0; i--) out[1][i] = a[i] * m[i % rows][1] - bias;
        return out;
    }

    double[] affine(double[] x) {
        double[] out = new double[w.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = w[i] * x[i] + m[i % rows][0];
        }
        return out;
    }

    static double[][] outer(double[] a, double[] b) {
        double[][] out = new double[a.length][b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                out[i][j] = a[i] * b[j];
            }
        }
        return out;
    }

    static double norm(double[][] a) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) s += a[i][j] * a[i][j];
        }
        return 0.01 * s;
    }

    @Measurement
    double response(double[] x, int c) {
        return Math.tanh(w[c] * x[c] + bias);
    }

    @TrainingStep
    static void momentum(@Params double[] p, @Grads double[] g, @State double[] v, @Step int step, @Steps int steps) {
        double lr = 0.1 * (1.0 - (double) step / steps);
        for (int i = 0; i < p.length; i++) {
            v[i] = 0.9 * v[i] + g[i];
            // a checked division and square root in an elementwise loop: run in checked chunks
            p[i] -= lr * v[i] / Math.sqrt(v[i] * v[i] + 1.0);
        }
    }
}
