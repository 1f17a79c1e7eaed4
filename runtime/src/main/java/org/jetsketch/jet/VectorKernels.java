package org.jetsketch.jet;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inner loops of the products, of the per-direction recurrences (series inverse,
 * composition, power) run across the directions of a block, and of jet addition, written with the
 * incubating Vector API ({@code jdk.incubator.vector}), for JVMs started with
 * {@code --add-modules jdk.incubator.vector}. Each lane does exactly the scalar loop's operations
 * in the scalar loop's order (multiplies and adds; no fused multiply-add), so the results are the
 * scalar kernels' bit for bit (tested for every kernel against {@code new Jets(k, B, false)}); only
 * the speed differs.
 *
 * <p>Why not leave it to the JIT: C2 (JDK 17) vectorises a loop only when every array is indexed
 * at the same offset from the loop variable, and a convolution reads its inputs at a shift that
 * changes with the outer loop. Measured at degree 100, B = 1 ({@code JetKernelBenchmark}): see
 * the README's performance section.
 *
 * <p>Never touched unless {@link Simd#ENABLED}: loading this class without the module in the boot
 * layer would fail.
 */
final class VectorKernels {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    private VectorKernels() {}

    /**
     * The terms of {@code Jets.convolve} (B = 1): for j = 1..k−1 ascending,
     * t[i] += ar_j·b[i − 2j] + ai_j·ib[i − 2j] for i in [2j + 2, 2k + 2), (ar_j, ai_j) = (a[ab + 2j],
     * a[ab + 2j + 1]); b and ib hold coefficient m at 2m, and b, ib and t have one vector of slack
     * after 2k + 2 (the loops run whole vectors into it: the lanes past 2k + 2 read whatever the
     * slack of b and ib holds and write t's slack, which nothing reads; t's slack is cleared per
     * call only so that it cannot grow to infinities).
     *
     * <p>Four consecutive j are applied in one sweep over t (one load and one store of t per four
     * terms instead of per term), after the first three coefficients of the sweep, which not all
     * four terms reach, are done one by one; the remaining j one sweep each. Every t[i] receives
     * the same terms, one at a time in ascending j, as in the scalar loop: the same bits.
     */
    static void convolveTerms(double[] t, double[] a, int ab, double[] b, double[] ib, int k) {
        int end = 2 * k + 2, lanes = S.length();
        java.util.Arrays.fill(t, end, end + lanes, 0.0);
        int j = 1;
        for (; j + 3 < k; j += 4) {
            double ar0 = a[ab + 2 * j], ai0 = a[ab + 2 * j + 1];
            double ar1 = a[ab + 2 * j + 2], ai1 = a[ab + 2 * j + 3];
            double ar2 = a[ab + 2 * j + 4], ai2 = a[ab + 2 * j + 5];
            double ar3 = a[ab + 2 * j + 6], ai3 = a[ab + 2 * j + 7];
            int s = 2 * j;
            // i in [2j + 2, 2j + 8): the terms j .. j + q with 2(j + q) + 2 <= i, one by one.
            for (int i = s + 2; i < s + 8; i++) {
                double v = t[i] + (ar0 * b[i - s] + ai0 * ib[i - s]);
                if (i >= s + 4) v += ar1 * b[i - s - 2] + ai1 * ib[i - s - 2];
                if (i >= s + 6) v += ar2 * b[i - s - 4] + ai2 * ib[i - s - 4];
                t[i] = v;
            }
            for (int i = s + 8; i < end; i += lanes) {
                int m0 = i - s;
                DoubleVector v = DoubleVector.fromArray(S, t, i)
                        .add(DoubleVector.fromArray(S, b, m0).mul(ar0).add(DoubleVector.fromArray(S, ib, m0).mul(ai0)))
                        .add(DoubleVector.fromArray(S, b, m0 - 2).mul(ar1).add(DoubleVector.fromArray(S, ib, m0 - 2).mul(ai1)))
                        .add(DoubleVector.fromArray(S, b, m0 - 4).mul(ar2).add(DoubleVector.fromArray(S, ib, m0 - 4).mul(ai2)))
                        .add(DoubleVector.fromArray(S, b, m0 - 6).mul(ar3).add(DoubleVector.fromArray(S, ib, m0 - 6).mul(ai3)));
                v.intoArray(t, i);
            }
        }
        for (; j < k; j++) {
            double ar = a[ab + 2 * j], ai = a[ab + 2 * j + 1];
            int s = 2 * j;
            for (int i = s + 2; i < end; i += lanes) {
                DoubleVector.fromArray(S, t, i)
                        .add(DoubleVector.fromArray(S, b, i - s).mul(ar).add(DoubleVector.fromArray(S, ib, i - s).mul(ai)))
                        .intoArray(t, i);
            }
        }
    }

    /**
     * One coefficient's complex multiply-add over n directions of a block:
     * t[tr + d] += ar_d·br_d − ai_d·bi_d, t[tr + B + d] += ar_d·bi_d + ai_d·br_d for d in [0, n), with
     * re/im of a at (aj + d, aj + B + d) and of b at (bm + d, bm + B + d).
     */
    static void cmaBlock(double[] t, int tr, double[] a, int aj, double[] b, int bm, int n, int nd) {
        int d = 0;
        for (int upper = S.loopBound(n); d < upper; d += S.length()) {
            DoubleVector ar = DoubleVector.fromArray(S, a, aj + d);
            DoubleVector ai = DoubleVector.fromArray(S, a, aj + nd + d);
            DoubleVector br = DoubleVector.fromArray(S, b, bm + d);
            DoubleVector bi = DoubleVector.fromArray(S, b, bm + nd + d);
            DoubleVector.fromArray(S, t, tr + d).add(ar.mul(br).sub(ai.mul(bi))).intoArray(t, tr + d);
            DoubleVector.fromArray(S, t, tr + nd + d).add(ar.mul(bi).add(ai.mul(br))).intoArray(t, tr + nd + d);
        }
        for (; d < n; d++) {
            double xr = a[aj + d], xi = a[aj + nd + d], yr = b[bm + d], yi = b[bm + nd + d];
            t[tr + d] += xr * yr - xi * yi;
            t[tr + nd + d] += xr * yi + xi * yr;
        }
    }

    /**
     * The block sum of {@code Jets.mulBlock} at degree 3 for the directions [0, d) in whole
     * vectors, into t (a block, the caller copies it to the output), d returned (the caller does
     * the rest one by one): c_3 = ((a_0 b_3 + b_0 a_3) + a_1 b_2) + a_2 b_1,
     * c_2 = (a_0 b_2 + b_0 a_2) + a_1 b_1, c_1 = a_0 b_1 + b_0 a_1, the same operations in the same
     * order as the loops. Written out, with the partial sums in registers and every store
     * unconditional: C2 (JDK 17) may box a vector that is a loop phi or that reaches a store
     * through a branch, and the kernels must not allocate. Each of a_1, a_2, b_1, b_2 is loaded
     * once per vector of directions (an earlier version split c_3 from c_2, c_1 into two methods
     * and loaded them twice: 30 % slower at B = 16 on 8 lanes, JetsAllocationTest finds no boxing
     * either way).
     */
    static int convolveBlockDegree3(double[] a, int ao, double a0, double[] b, int bo, double b0,
            double[] t, int nd) {
        int group = 2 * nd;
        int d = 0;
        for (int upper = S.loopBound(nd); d < upper; d += S.length()) {
            int c1 = 1 + d, c2 = c1 + group, c3 = c2 + group;
            DoubleVector a1r = DoubleVector.fromArray(S, a, ao + c1), a1i = DoubleVector.fromArray(S, a, ao + c1 + nd);
            DoubleVector a2r = DoubleVector.fromArray(S, a, ao + c2), a2i = DoubleVector.fromArray(S, a, ao + c2 + nd);
            DoubleVector b1r = DoubleVector.fromArray(S, b, bo + c1), b1i = DoubleVector.fromArray(S, b, bo + c1 + nd);
            DoubleVector b2r = DoubleVector.fromArray(S, b, bo + c2), b2i = DoubleVector.fromArray(S, b, bo + c2 + nd);
            DoubleVector.fromArray(S, b, bo + c3).mul(a0).add(DoubleVector.fromArray(S, a, ao + c3).mul(b0))
                    .add(a1r.mul(b2r).sub(a1i.mul(b2i))).add(a2r.mul(b1r).sub(a2i.mul(b1i))).intoArray(t, c3);
            DoubleVector.fromArray(S, b, bo + c3 + nd).mul(a0).add(DoubleVector.fromArray(S, a, ao + c3 + nd).mul(b0))
                    .add(a1r.mul(b2i).add(a1i.mul(b2r))).add(a2r.mul(b1i).add(a2i.mul(b1r))).intoArray(t, c3 + nd);
            b2r.mul(a0).add(a2r.mul(b0)).add(a1r.mul(b1r).sub(a1i.mul(b1i))).intoArray(t, c2);
            b2i.mul(a0).add(a2i.mul(b0)).add(a1r.mul(b1i).add(a1i.mul(b1r))).intoArray(t, c2 + nd);
            b1r.mul(a0).add(a1r.mul(b0)).intoArray(t, c1);
            b1i.mul(a0).add(a1i.mul(b0)).intoArray(t, c1 + nd);
        }
        return d;
    }

    /**
     * The degree-3 product accumulated: acc += a·b for the directions [0, d) in whole vectors, d
     * returned (the caller does the rest one by one). Each coefficient of the block sum is formed
     * exactly as in {@link #convolveBlockDegree3} and then added to acc's, as {@code Jets.mulBlock}
     * adds its scratch block: the same bits, without the round trip through scratch and the second
     * pass over the accumulator. acc's constant term is left to the caller; acc must not overlap
     * a or b.
     */
    static int accumulateBlockDegree3(double[] a, int ao, double a0, double[] b, int bo, double b0,
            double[] acc, int acco, int nd) {
        int group = 2 * nd;
        int d = 0;
        for (int upper = S.loopBound(nd); d < upper; d += S.length()) {
            int c1 = 1 + d, c2 = c1 + group, c3 = c2 + group;
            DoubleVector a1r = DoubleVector.fromArray(S, a, ao + c1), a1i = DoubleVector.fromArray(S, a, ao + c1 + nd);
            DoubleVector a2r = DoubleVector.fromArray(S, a, ao + c2), a2i = DoubleVector.fromArray(S, a, ao + c2 + nd);
            DoubleVector b1r = DoubleVector.fromArray(S, b, bo + c1), b1i = DoubleVector.fromArray(S, b, bo + c1 + nd);
            DoubleVector b2r = DoubleVector.fromArray(S, b, bo + c2), b2i = DoubleVector.fromArray(S, b, bo + c2 + nd);
            DoubleVector c3r = DoubleVector.fromArray(S, b, bo + c3).mul(a0).add(DoubleVector.fromArray(S, a, ao + c3).mul(b0))
                    .add(a1r.mul(b2r).sub(a1i.mul(b2i))).add(a2r.mul(b1r).sub(a2i.mul(b1i)));
            DoubleVector.fromArray(S, acc, acco + c3).add(c3r).intoArray(acc, acco + c3);
            DoubleVector c3i = DoubleVector.fromArray(S, b, bo + c3 + nd).mul(a0).add(DoubleVector.fromArray(S, a, ao + c3 + nd).mul(b0))
                    .add(a1r.mul(b2i).add(a1i.mul(b2r))).add(a2r.mul(b1i).add(a2i.mul(b1r)));
            DoubleVector.fromArray(S, acc, acco + c3 + nd).add(c3i).intoArray(acc, acco + c3 + nd);
            DoubleVector c2r = b2r.mul(a0).add(a2r.mul(b0)).add(a1r.mul(b1r).sub(a1i.mul(b1i)));
            DoubleVector.fromArray(S, acc, acco + c2).add(c2r).intoArray(acc, acco + c2);
            DoubleVector c2i = b2i.mul(a0).add(a2i.mul(b0)).add(a1r.mul(b1i).add(a1i.mul(b1r)));
            DoubleVector.fromArray(S, acc, acco + c2 + nd).add(c2i).intoArray(acc, acco + c2 + nd);
            DoubleVector.fromArray(S, acc, acco + c1).add(b1r.mul(a0).add(a1r.mul(b0))).intoArray(acc, acco + c1);
            DoubleVector.fromArray(S, acc, acco + c1 + nd).add(b1i.mul(a0).add(a1i.mul(b0))).intoArray(acc, acco + c1 + nd);
        }
        return d;
    }

    // -------------------------------------------------------------------------------------
    // The per-direction recurrences of Jets (series inverse, composition, power), run across
    // the directions of a block: one call handles the re or the im parts (or both) of one
    // coefficient for the directions [0, n), n a whole number of vectors ({@link #wholeVectors}).
    // Each lane does the scalar recurrence's operations in its order. A partial sum lives in the
    // output coefficient; each step reads it from (from, fr), which for the first step of a sum
    // is a block of zeros, so that it starts at 0.0 as the scalar sums do (0.0 + x is not x when x
    // is −0.0): the same bits. No vector is a loop phi or crosses a branch (C2 would box it).
    // -------------------------------------------------------------------------------------

    /** The directions of a block of nd that whole vectors cover: nd rounded down to the lane count. */
    static int wholeVectors(int nd) {
        return S.loopBound(nd);
    }

    /**
     * One term of a recurrence's sum over n directions: t = from + x·v (complex, re at +0, im at
     * +nd), i.e. t_re = from_re + (xr·vr − xi·vi), t_im = from_im + (xr·vi + xi·vr).
     */
    static void termBlock(double[] t, int tr, double[] from, int fr, double[] x, int xj, double[] v, int vm,
            int n, int nd) {
        for (int d = 0; d < n; d += S.length()) {
            DoubleVector xr = DoubleVector.fromArray(S, x, xj + d);
            DoubleVector xi = DoubleVector.fromArray(S, x, xj + nd + d);
            DoubleVector vr = DoubleVector.fromArray(S, v, vm + d);
            DoubleVector vi = DoubleVector.fromArray(S, v, vm + nd + d);
            DoubleVector.fromArray(S, from, fr + d).add(xr.mul(vr).sub(xi.mul(vi))).intoArray(t, tr + d);
            DoubleVector.fromArray(S, from, fr + nd + d).add(xr.mul(vi).add(xi.mul(vr))).intoArray(t, tr + nd + d);
        }
    }

    /** A weighted term: t = from + w·(x·v), i.e. t_re = from_re + w·(xr·vr − xi·vi), t_im likewise. */
    static void weightedTermBlock(double[] t, int tr, double[] from, int fr, double[] x, int xj, double[] v, int vm,
            double w, int n, int nd) {
        for (int d = 0; d < n; d += S.length()) {
            DoubleVector xr = DoubleVector.fromArray(S, x, xj + d);
            DoubleVector xi = DoubleVector.fromArray(S, x, xj + nd + d);
            DoubleVector vr = DoubleVector.fromArray(S, v, vm + d);
            DoubleVector vi = DoubleVector.fromArray(S, v, vm + nd + d);
            DoubleVector.fromArray(S, from, fr + d).add(xr.mul(vr).sub(xi.mul(vi)).mul(w)).intoArray(t, tr + d);
            DoubleVector.fromArray(S, from, fr + nd + d).add(xr.mul(vi).add(xi.mul(vr)).mul(w)).intoArray(t, tr + nd + d);
        }
    }

    /** y[i] = (from[i] + x[i]·c)·s for i in [0, n) from yi, fi and xi (the last step of a composition). */
    static void addScaledThenScale(double[] y, int yi, double[] from, int fi, double[] x, int xi, double c, double s,
            int n) {
        for (int d = 0; d < n; d += S.length()) {
            DoubleVector.fromArray(S, from, fi + d).add(DoubleVector.fromArray(S, x, xi + d).mul(c)).mul(s)
                    .intoArray(y, yi + d);
        }
    }

    /** y[i] = (num[i] − (from[i] + den[i]·y0))·rb for i in [0, n) (the last step of a series division). */
    static void divisionStep(double[] y, int yi, double[] from, int fi, double[] den, int di, double y0,
            double[] num, int ni, double rb, int n) {
        for (int d = 0; d < n; d += S.length()) {
            DoubleVector sum = DoubleVector.fromArray(S, from, fi + d).add(DoubleVector.fromArray(S, den, di + d).mul(y0));
            DoubleVector.fromArray(S, num, ni + d).sub(sum).mul(rb).intoArray(y, yi + d);
        }
    }

    /** y[i] = −(from[i] + den[i]·y0)·rb for i in [0, n) (the last step of a series inverse). */
    static void inverseStep(double[] y, int yi, double[] from, int fi, double[] den, int di, double y0, double rb,
            int n) {
        for (int d = 0; d < n; d += S.length()) {
            DoubleVector.fromArray(S, from, fi + d).add(DoubleVector.fromArray(S, den, di + d).mul(y0)).neg().mul(rb)
                    .intoArray(y, yi + d);
        }
    }

    /** out[i] = x[i]·w for i in [0, n) (the weights c·j of a composition, applied to a_j). */
    static void scaleRange(double[] out, int oi, double[] x, int xi, double w, int n) {
        for (int d = 0; d < n; d += S.length()) {
            DoubleVector.fromArray(S, x, xi + d).mul(w).intoArray(out, oi + d);
        }
    }

    /**
     * out[i] = a[i] + b[i] (or a[i] − b[i] if {@code subtract}) for i in [0, n), any n (whole
     * vectors, then one by one). Why not leave it to the JIT: C2 (JDK 17) left the scalar loop of
     * {@code Jets.add} over three arrays at different offsets unvectorised (3x the time of
     * {@code scale}'s loop over two). out may be a or b (element-wise), not a partial overlap.
     */
    static void addOrSubtract(double[] a, int ao, double[] b, int bo, double[] out, int oo, int n, boolean subtract) {
        int i = 0;
        int upper = S.loopBound(n);
        if (subtract) {
            for (; i < upper; i += S.length()) {
                DoubleVector.fromArray(S, a, ao + i).sub(DoubleVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
            }
            for (; i < n; i++) out[oo + i] = a[ao + i] - b[bo + i];
        } else {
            for (; i < upper; i += S.length()) {
                DoubleVector.fromArray(S, a, ao + i).add(DoubleVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
            }
            for (; i < n; i++) out[oo + i] = a[ao + i] + b[bo + i];
        }
    }

    /** The lane count, to check that the module works at all. */
    static int lanes() {
        return S.length();
    }
}
