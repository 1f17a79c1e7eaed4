package org.jetsketch.jet;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inner loops of the products written with the incubating Vector API
 * ({@code jdk.incubator.vector}), for JVMs started with {@code --add-modules jdk.incubator.vector}.
 * Each lane does exactly the scalar loop's operations (a multiply, a multiply, an add, an add; no
 * fused multiply-add), so the results are the scalar kernels' bit for bit (tested); only the
 * speed differs.
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

    /** t[to + i] += ar·b[bo + i] + ai·ib[io + i] for i in [0, n). */
    static void axpy2(double[] t, int to, double ar, double[] b, int bo, double ai, double[] ib, int io, int n) {
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += S.length()) {
            DoubleVector bv = DoubleVector.fromArray(S, b, bo + i);
            DoubleVector iv = DoubleVector.fromArray(S, ib, io + i);
            DoubleVector tv = DoubleVector.fromArray(S, t, to + i);
            tv.add(bv.mul(ar).add(iv.mul(ai))).intoArray(t, to + i);
        }
        for (; i < n; i++) t[to + i] += ar * b[bo + i] + ai * ib[io + i];
    }

    /**
     * One coefficient's complex multiply-add over the B directions of a block:
     * t[tr + d] += ar_d·br_d − ai_d·bi_d, t[tr + B + d] += ar_d·bi_d + ai_d·br_d, with re/im of a at
     * (aj + d, aj + B + d) and of b at (bm + d, bm + B + d).
     */
    static void cmaBlock(double[] t, int tr, double[] a, int aj, double[] b, int bm, int nd) {
        int d = 0;
        for (int upper = S.loopBound(nd); d < upper; d += S.length()) {
            DoubleVector ar = DoubleVector.fromArray(S, a, aj + d);
            DoubleVector ai = DoubleVector.fromArray(S, a, aj + nd + d);
            DoubleVector br = DoubleVector.fromArray(S, b, bm + d);
            DoubleVector bi = DoubleVector.fromArray(S, b, bm + nd + d);
            DoubleVector.fromArray(S, t, tr + d).add(ar.mul(br).sub(ai.mul(bi))).intoArray(t, tr + d);
            DoubleVector.fromArray(S, t, tr + nd + d).add(ar.mul(bi).add(ai.mul(br))).intoArray(t, tr + nd + d);
        }
        for (; d < nd; d++) {
            double xr = a[aj + d], xi = a[aj + nd + d], yr = b[bm + d], yi = b[bm + nd + d];
            t[tr + d] += xr * yr - xi * yi;
            t[tr + nd + d] += xr * yi + xi * yr;
        }
    }

    /** The lane count, to check that the module works at all. */
    static int lanes() {
        return S.length();
    }
}
