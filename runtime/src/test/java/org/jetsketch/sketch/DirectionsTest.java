package org.jetsketch.sketch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class DirectionsTest {

    @Test
    void directionsHaveUnitNorm() {
        for (int n : new int[] {1, 2, 7, 100, 32032}) {
            for (int j = 0; j < 5; j++) {
                double[] psi = Directions.direction(11L, j, n);
                assertEquals(2 * n, psi.length);
                double norm2 = 0;
                for (double v : psi) norm2 += v * v;
                assertEquals(1.0, norm2, 1e-12, "n=" + n + " j=" + j);
            }
        }
    }

    @Test
    void directionsAreDeterministicAcrossCallsAndThreadsAndOffsets() throws Exception {
        double[] a = Directions.direction(5L, 17, 1000);
        double[] b = new double[2000];
        Directions.direction(5L, 17, 1000, b);
        assertArrayEquals(a, b, 0.0);
        double[] c = new double[2010];
        Directions.direction(5L, 17, 1000, c, 7);
        assertArrayEquals(a, Arrays.copyOfRange(c, 7, 2007), 0.0);
        assertEquals(0.0, c[6]);
        assertEquals(0.0, c[2007]);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<double[]>> fs = pool.invokeAll(List.of(
                    () -> Directions.direction(5L, 17, 1000), () -> Directions.direction(5L, 17, 1000),
                    () -> Directions.direction(5L, 17, 1000), () -> Directions.direction(5L, 17, 1000)));
            for (Future<double[]> f : fs) assertArrayEquals(a, f.get(), 0.0);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Pins the algorithm: a change here silently invalidates every existing sketch store. */
    @Test
    void directionBitsArePinned() {
        assertArrayEquals(new double[] {
                0x1.0b84ba8d0ccf3p-3, 0x1.9c9b20dfdf876p-2, -0x1.cbeac9dfe9372p-1,
                0x1.f6c5df67f3e5p-5, 0x1.278e601e1d835p-4, -0x1.1909991b8aa9ap-4},
                Directions.direction(42L, 0, 3), 0.0);
        assertArrayEquals(new double[] {
                -0x1.d3837d80ac99bp-1, -0x1.5faa7781d3ea7p-3, 0x1.bf6e64c7e764cp-3, -0x1.31819dfee4267p-2},
                Directions.direction(-7L, 1234, 2), 0.0);
    }

    @Test
    void differentIndicesAndSeedsGiveDifferentDirections() {
        double[] base = Directions.direction(3L, 0, 50);
        for (int j = 1; j < 20; j++) assertFalse(Arrays.equals(base, Directions.direction(3L, j, 50)), "index " + j);
        assertFalse(Arrays.equals(base, Directions.direction(4L, 0, 50)));
        assertTrue(Directions.mix64(3L, 0) != Directions.mix64(3L, 1));
        // a prefix of a longer direction is not the shorter direction (normalisation differs) but the
        // unnormalised stream is shared: the ratios of coordinates agree
        double[] longer = Directions.direction(3L, 0, 60);
        double ratio = longer[0] / base[0];
        for (int i = 0; i < 100; i++) assertEquals(ratio, longer[i] / base[i], 1e-12 * Math.abs(ratio));
    }

    /**
     * For ψ uniform on the complex unit sphere of C^n: E[ψ_a conj ψ_b] = δ_ab / n and E[ψ_a ψ_b] = 0.
     * With N draws each empirical mean has standard deviation at most sqrt(1/(n(n+1)) / N) (the
     * second moment of |ψ_a ψ_b| or |ψ_a|²); the tolerance is 7 of those.
     */
    @Test
    void secondMomentsMatchTheUniformComplexSphere() {
        int n = 4, draws = 40000;
        double[][] hermRe = new double[n][n], hermIm = new double[n][n], symRe = new double[n][n], symIm = new double[n][n];
        for (int t = 0; t < draws; t++) {
            double[] psi = Directions.direction(2024L, t, n);
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    double ar = psi[2 * a], ai = psi[2 * a + 1], br = psi[2 * b], bi = psi[2 * b + 1];
                    hermRe[a][b] += ar * br + ai * bi;
                    hermIm[a][b] += ai * br - ar * bi;
                    symRe[a][b] += ar * br - ai * bi;
                    symIm[a][b] += ar * bi + ai * br;
                }
            }
        }
        double sd = Math.sqrt(1.0 / (n * (n + 1.0)) / draws);
        double tol = 7 * sd;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                String at = "(" + a + "," + b + ")";
                assertEquals(a == b ? 1.0 / n : 0.0, hermRe[a][b] / draws, tol, "Re E[psi_a conj psi_b] " + at);
                assertEquals(0.0, hermIm[a][b] / draws, tol, "Im E[psi_a conj psi_b] " + at);
                assertEquals(0.0, symRe[a][b] / draws, tol, "Re E[psi_a psi_b] " + at);
                assertEquals(0.0, symIm[a][b] / draws, tol, "Im E[psi_a psi_b] " + at);
            }
        }
    }

    @Test
    void badInputNamesTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Directions.direction(1L, 0, 0));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Directions.direction(1L, 0, -3));
        assertTrue(e.getMessage().contains("-3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Directions.direction(1L, -5, 3));
        assertTrue(e.getMessage().contains("-5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Directions.direction(1L, 0, 3, new double[5]));
        assertTrue(e.getMessage().contains("5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Directions.direction(1L, 0, 3, new double[6], -1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Directions.mix64(1L, -2));
        assertTrue(e.getMessage().contains("-2"), e.getMessage());
    }
}
