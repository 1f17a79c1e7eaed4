package org.jetsketch.circuit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.Random;
import org.jetsketch.jet.Jets;
import org.junit.jupiter.api.Test;

/** The switching radius against closed forms, its lower-bound property, and the bookkeeping. */
class BranchMonitorTest {

    /** A jet of {@code monitor}'s shape: value d0 and coefficients (re, im) of every direction. */
    private static double[] jet(BranchMonitor monitor, Jets jets, double d0, double[][][] coefficients) {
        double[] v = new double[jets.stride()];
        v[0] = d0;
        for (int b = 0; b < coefficients.length; b++) {
            for (int r = 1; r <= coefficients[b].length; r++) {
                v[monitor.coefficient(r, b)] = coefficients[b][r - 1][0];
                v[jets.layout().im(0, r, b)] = coefficients[b][r - 1][1];
            }
        }
        return v;
    }

    @Test
    void linearDifferenceSwitchesWhereItCrossesZero() {
        Jets jets = new Jets(1, 1);
        BranchMonitor m = new BranchMonitor(jets);
        // d(t) = 0.3 - 1.2 t: zero at t = 0.25
        m.differenceConst(4, jet(m, jets, 0.3, new double[][][] {{{-1.2, 0}}}), 0, 0.0);
        assertEquals(0.25, m.radius(0), 1e-12);
        assertEquals(4, m.site(0));
    }

    @Test
    void quadraticMajorantRootIsTheClosedForm() {
        Jets jets = new Jets(3, 1);
        BranchMonitor m = new BranchMonitor(jets);
        // a - b has d0 = 1, |d1| = 3, |d2| = 2, d3 = 0: 1 = 3ρ + 2ρ², ρ = (√17 − 3) / 4
        double[] a = jet(m, jets, 2.5, new double[][][] {{{1.0, -1.0}, {0.5, 0.5}, {0, 0}}});
        double[] b = jet(m, jets, 1.5, new double[][][] {{{1.0, 2.0}, {0.5, -1.5}, {0, 0}}});
        double[] v = new double[2 * jets.stride()];
        System.arraycopy(a, 0, v, 0, a.length);
        System.arraycopy(b, 0, v, jets.stride(), b.length);
        m.difference(0, v, 0, jets.stride());
        double rho = (Math.sqrt(17) - 3) / 4;
        assertTrue(m.radius(0) <= rho, "a lower bound: " + m.radius(0) + " <= " + rho);
        assertEquals(rho, m.radius(0), 1e-12 * rho);
    }

    /**
     * For random complex polynomials the radius is a lower bound of every zero: inside it, the
     * polynomial keeps |d(z) − d_0| &lt; |d_0| (checked at random points), and it is the root of the
     * majorant to 1e-9 (just above it, the majorant exceeds |d_0|).
     */
    @Test
    void radiusIsALowerBoundOfEveryZero() {
        Random rnd = new Random(3);
        int k = 5;
        Jets jets = new Jets(k, 1);
        for (int trial = 0; trial < 200; trial++) {
            BranchMonitor m = new BranchMonitor(jets);
            double d0 = (rnd.nextBoolean() ? 1 : -1) * Math.exp(3 * rnd.nextGaussian());
            double[][][] c = new double[1][k][2];
            for (int r = 0; r < k; r++) {
                double size = Math.exp(2 * rnd.nextGaussian());
                c[0][r][0] = size * rnd.nextGaussian();
                c[0][r][1] = rnd.nextBoolean() ? 0 : size * rnd.nextGaussian();
            }
            m.differenceConst(1, jet(m, jets, d0, c), 0, 0.0);
            double rho = m.radius(0);
            assertTrue(rho > 0 && Double.isFinite(rho), "radius " + rho);
            assertTrue(majorant(c, rho) <= Math.abs(d0), "majorant at the radius");
            assertTrue(majorant(c, rho * (1 + 1e-9)) > Math.abs(d0), "the radius is the majorant's root");
            for (int q = 0; q < 50; q++) {
                double mod = rho * rnd.nextDouble();
                double arg = 2 * Math.PI * rnd.nextDouble();
                double zr = mod * Math.cos(arg);
                double zi = mod * Math.sin(arg);
                double pr = 0, pi = 0, wr = 1, wi = 0; // Σ d_r z^r
                for (int r = 0; r < k; r++) {
                    double nr = wr * zr - wi * zi;
                    wi = wr * zi + wi * zr;
                    wr = nr;
                    pr += c[0][r][0] * wr - c[0][r][1] * wi;
                    pi += c[0][r][0] * wi + c[0][r][1] * wr;
                }
                assertTrue(Math.hypot(pr, pi) < Math.abs(d0), "d(z) - d0 stays below |d0| inside the radius");
            }
        }
    }

    private static double majorant(double[][][] c, double rho) {
        double s = 0;
        for (int r = c[0].length; r >= 1; r--) s = (s + Math.hypot(c[0][r - 1][0], c[0][r - 1][1])) * rho;
        return s;
    }

    @Test
    void keepsTheMinimumPerDirectionWithItsSite() {
        Jets jets = new Jets(1, 2);
        BranchMonitor m = new BranchMonitor(jets);
        assertEquals(Double.POSITIVE_INFINITY, m.radius(0));
        assertEquals(-1, m.site(0));
        // direction 0 switches at 0.5 then 0.1; direction 1 at 2 then 4 (the first stays)
        m.differenceConst(7, jet(m, jets, 1.0, new double[][][] {{{2.0, 0}}, {{0.0, 0.5}}}), 0, 0.0);
        m.differenceConst(8, jet(m, jets, -0.2, new double[][][] {{{2.0, 0}}, {{0.0, 0.05}}}), 0, 0.0);
        assertEquals(0.1, m.radius(0), 1e-12);
        assertEquals(8, m.site(0));
        assertEquals(2.0, m.radius(1), 1e-12);
        assertEquals(7, m.site(1));
        // a constant difference never switches; a tie switches at once unless the difference is 0
        m.differenceConst(9, jet(m, jets, 0.0, new double[][][] {{{0, 0}}, {{0, 0}}}), 0, 0.0);
        assertEquals(7, m.site(1));
        m.differenceConst(10, jet(m, jets, 3.0, new double[][][] {{{0, 0}}, {{1.0, 0}}}), 0, 3.0);
        assertEquals(0.0, m.radius(1));
        assertEquals(10, m.site(1));
        assertEquals(8, m.site(0), "a direction whose difference is constant keeps its radius");
        m.reset();
        assertEquals(Double.POSITIVE_INFINITY, m.radius(1));
        assertEquals(-1, m.site(1));
    }

    /** Weights s_r = c^r measure the radius in the variable z / c: the radius is divided by c. */
    @Test
    void geometricScaleDividesTheRadius() {
        Jets jets = new Jets(2, 1);
        double[][][] c = {{{-0.7, 0.2}, {0.4, -0.1}}};
        BranchMonitor plain = new BranchMonitor(jets);
        plain.differenceConst(0, jet(plain, jets, 0.9, c), 0, 0.0);
        BranchMonitor scaled = new BranchMonitor(jets);
        scaled.scale(new double[] {0, 3, 9});
        scaled.differenceConst(0, jet(scaled, jets, 0.9, c), 0, 0.0);
        assertEquals(plain.radius(0) / 3, scaled.radius(0), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> scaled.scale(new double[] {0, 1}));
        assertThrows(IllegalArgumentException.class, () -> scaled.scale(new double[] {0, 1, Double.NaN}));
    }

    /** The decisions are Java's comparisons on real parts, NaN included, and the monitor sees them. */
    @Test
    void comparisonsAreJavasOnTheRealParts() {
        double[] values = {-1.5, 0.0, -0.0, 2.0, Double.NaN, Double.POSITIVE_INFINITY};
        Jets jets = new Jets(2, 1);
        int s = jets.stride();
        org.jetsketch.circuit.JetWorkspace ws = new org.jetsketch.circuit.JetWorkspace(jets, 0) {
            @Override
            public void loadParameters(double[] thetaJets) { }

            @Override
            public void addGradient(double[] grad) { }
        };
        BranchMonitor m = new BranchMonitor(jets);
        ws.branches = m;
        double[] v = new double[2 * s];
        for (double x : values) {
            for (double y : values) {
                jets.constant(x, v, 0);
                jets.constant(y, v, s);
                v[1] = 1.0; // x moves along the direction: the decision can switch
                boolean[] java = {x < y, x <= y, x > y, x >= y, x == y, x != y};
                for (int op = 0; op < 6; op++) {
                    String what = x + " op" + op + " " + y;
                    assertEquals(java[op], ws.compare(0, op, v, 0, v, s), what);
                    assertEquals(java[op], ws.compare(0, op, v, 0, y), what);
                    assertEquals(java[op], ws.compare(0, op, x, v, s), what);
                }
            }
        }
        m.reset();
        jets.constant(1.0, v, 0);
        v[1] = 0.5;
        ws.compare(7, org.jetsketch.circuit.JetWorkspace.LT, v, 0, 3.0);
        assertEquals(4.0, m.radius(0), 1e-12); // |1 − 3| / 0.5
        assertEquals(7, m.site(0));
    }

    @Test
    void monitoringAllocatesNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "HotSpot allocation counter unavailable");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(mx.isThreadAllocatedMemorySupported());
        mx.setThreadAllocatedMemoryEnabled(true);
        Jets jets = new Jets(4, 3);
        BranchMonitor m = new BranchMonitor(jets);
        double[] v = new double[2 * jets.stride()];
        Random rnd = new Random(1);
        for (int i = 0; i < v.length; i++) v[i] = rnd.nextGaussian();
        run(m, v, jets.stride(), 2_000);
        long before = mx.getCurrentThreadAllocatedBytes();
        run(m, v, jets.stride(), 10_000);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        // an object per call would be >= 16 bytes x 20000; a one-off of the JVM (seen: 64 bytes) is not per call
        assertTrue(allocated <= 256, "bytes allocated by 20000 monitor calls: " + allocated);
    }

    private static void run(BranchMonitor m, double[] v, int stride, int rounds) {
        for (int i = 0; i < rounds; i++) {
            m.reset();
            m.difference(i, v, 0, stride);
            m.differenceConst(i, v, stride, 0.25);
        }
    }
}
