package org.jetsketch.jet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Zero allocation is a design property of the kernels (all scratch is made in the constructor).
 * Measured with the HotSpot per-thread allocation counter: after a warm-up, a thousand calls of
 * every kernel must not allocate a single byte.
 */
class JetsAllocationTest {

    @Test
    void kernelsAllocateNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "HotSpot allocation counter unavailable");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(mx.isThreadAllocatedMemorySupported());
        mx.setThreadAllocatedMemoryEnabled(true);

        // B = 2 (gathered direction by direction), B = 16 (products over whole vectors of
        // directions), B = 1 at degree 20 (the products' axpy loops), each on the kernels this JVM
        // uses (the Vector API ones under Maven) and on the scalar ones.
        for (boolean simd : new boolean[] {true, false}) {
            for (int[] kb : new int[][] {{6, 2}, {3, 16}, {20, 1}}) {
                Jets j = new Jets(kb[0], kb[1], simd);
                int s = j.stride();
                double[] a = new double[s], b = new double[s], y = new double[s], out = new double[4 * s];
                for (int i = 0; i < s; i++) {
                    a[i] = 0.1 / (i + 1);
                    b[i] = 0.2 / (i + 2);
                }
                a[0] = 0.7;
                b[0] = 1.3;
                // warm up: class loading, constant pools, and compiled code (vectors are objects
                // until C2 compiles them away)
                everyKernel(j, a, b, y, out, j.vectorized() ? 3000 : 10);
                // When C2 compiles the vector kernels depends on the machine's load; the property is
                // the steady state, so measure windows of 1000 rounds until one allocates nothing
                // (a kernel that really allocates never gets there).
                long allocated = -1;
                for (int window = 0; window < 40 && allocated != 0; window++) {
                    long before = mx.getCurrentThreadAllocatedBytes();
                    everyKernel(j, a, b, y, out, 1000);
                    allocated = mx.getCurrentThreadAllocatedBytes() - before;
                }
                assertEquals(0, allocated, "bytes allocated by 1000 rounds of every kernel after warm-up, degree "
                        + kb[0] + ", B = " + kb[1] + (j.vectorized() ? ", Vector API" : ", scalar"));
            }
        }
    }

    static void everyKernel(Jets j, double[] a, double[] b, double[] y, double[] out, int rounds) {
        int s = j.stride();
        for (int n = 0; n < rounds; n++) {
            j.zero(out, 0);
            j.constant(2, out, 0);
            j.copy(a, 0, out, 0);
            j.add(a, 0, b, 0, out, 0);
            j.sub(a, 0, b, 0, out, 0);
            j.neg(a, 0, out, 0);
            j.addReal(a, 0, 1, out, 0);
            j.scale(a, 0, 2, out, 0);
            j.scaleComplex(a, 0, 2, 0, out, 0);
            j.mul(a, 0, b, 0, out, 0);
            j.square(a, 0, out, 0);
            j.mulAdd(a, 0, b, 0, out, s);
            j.addScaled(a, 0, 0.5, out, s);
            j.reciprocal(a, 0, out, 0);
            j.div(a, 0, b, 0, out, 0);
            j.exp(a, 0, y, 0);
            j.expPrime(a, 0, y, 0, out, 0);
            j.expm1(a, 0, y, 0);
            j.expm1Prime(a, 0, y, 0, out, 0);
            j.log(a, 0, y, 0);
            j.logPrime(a, 0, y, 0, out, 0);
            j.log1p(a, 0, y, 0);
            j.log1pPrime(a, 0, y, 0, out, 0);
            j.sqrt(a, 0, y, 0);
            j.sqrtPrime(a, 0, y, 0, out, 0);
            j.rsqrt(a, 0, y, 0);
            j.rsqrtPrime(a, 0, y, 0, out, 0);
            j.tanh(a, 0, y, 0);
            j.tanhPrime(a, 0, y, 0, out, 0);
            j.sigmoid(a, 0, y, 0);
            j.sigmoidPrime(a, 0, y, 0, out, 0);
            j.softplus(a, 0, y, 0);
            j.softplusPrime(a, 0, y, 0, out, 0);
            j.erf(a, 0, y, 0);
            j.erfPrime(a, 0, y, 0, out, 0);
            j.gelu(a, 0, y, 0);
            j.geluPrime(a, 0, y, 0, out, 0);
            j.relu(a, 0, y, 0);
            j.reluPrime(a, 0, y, 0, out, 0);
            j.abs(a, 0, y, 0);
            j.absPrime(a, 0, y, 0, out, 0);
            j.reciprocal(a, 0, y, 0);
            j.reciprocalPrime(a, 0, y, 0, out, 0);
            j.square(a, 0, y, 0);
            j.squarePrime(a, 0, y, 0, out, 0);
            j.pow(a, 0, 2.5, y, 0);
            j.powPrime(a, 0, 2.5, y, 0, out, 0);
            j.pow(a, 0, 3, y, 0);
            j.powPrime(a, 0, 3, y, 0, out, 0);
            j.max(a, 0, b, 0, out, 0);
            j.min(a, 0, b, 0, out, 0);
            // Aliased and overlapping calls take the scratch-copy paths.
            j.copy(a, 0, out, 0);
            j.exp(out, 0, out, 0);
            j.copy(a, 0, out, 0);
            j.div(out, 0, b, 0, out, 1);
        }
    }
}
