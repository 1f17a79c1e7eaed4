package org.jetsketch.jet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Complex higher coefficients, every degree k = 0..100, blocks of B = 1, 3 and 16 directions
 * (16: whole vectors of directions on the Vector API kernels, which Maven's test JVM enables):
 * identities between kernels, every g'(a) jet against the derivative of the g jet, batched
 * against single-direction runs (bit for bit), and aliasing (bit for bit).
 *
 * <p>Inputs: a_r = 0.5^r·(u + iv), u, v uniform in [−½, ½] ("wide", a_0 in [1.5, 3], for
 * log/sqrt/division) or a quarter of that ("narrow", a_0 in [−2, 2], for tanh, sigmoid, …), so
 * that every series converges in |z| ≤ 1.25. Errors are measured in the weighted norm
 * max_r |x_r|·1.25^r, relative to the expected jet's norm (per direction): ≤ 1e-10.
 */
class JetsComplexTest {
    static final int MAX_K = 100;
    static final double RHO = 1.25;
    static final double TOL = 1e-10;
    static final int[] BLOCKS = {1, 3, 16};
    /**
     * Blocks checked against single-direction runs: 3 (direction by direction) and 19 (with the
     * Vector API: whole vectors of directions across directions, and the remainder one by one).
     */
    static final int[] BATCHES = {3, 19};
    static final int[] SOME_DEGREES = {0, 1, 2, 3, 6, 17, 100};

    enum Input { WIDE, NARROW }

    // ------------------------------------------------------------------ test-side jet helpers

    static double[] random(Jets j, Random rnd, Input in) {
        double[] a = new double[j.stride()];
        int k = j.degree();
        a[0] = in == Input.WIDE ? 1.5 + 1.5 * rnd.nextDouble() : -2 + 4 * rnd.nextDouble();
        double amp = in == Input.WIDE ? 1 : 0.25;
        JetLayout layout = j.layout();
        for (int b = 0; b < j.directions(); b++) {
            double s = amp;
            for (int r = 1; r <= k; r++) {
                s *= 0.5;
                a[layout.re(0, r, b)] = s * (rnd.nextDouble() - 0.5);
                a[layout.im(0, r, b)] = s * (rnd.nextDouble() - 0.5);
            }
        }
        return a;
    }

    /** Direction b of a block as a B = 1 jet. */
    static double[] direction(double[] block, int k, int b) {
        double[] a = new double[1 + 2 * k];
        layout(block, k).gather(block, 0, b, a, 0);
        return a;
    }

    /** The layout of a block of degree k, from its length. */
    static JetLayout layout(double[] block, int k) {
        return new JetLayout(k, k == 0 ? 1 : (block.length - 1) / (2 * k));
    }

    /** Weighted-norm error of got against want, per direction, relative to want's norm. */
    static double error(Jets j, double[] want, double[] got) {
        int k = j.degree();
        double worst = 0;
        for (int b = 0; b < j.directions(); b++) {
            double norm = Math.abs(want[0]), err = Math.abs(got[0] - want[0]);
            double w = 1;
            for (int r = 1; r <= k; r++) {
                w *= RHO;
                int i = j.layout().re(0, r, b), m = j.layout().im(0, r, b);
                norm = Math.max(norm, w * Math.hypot(want[i], want[m]));
                err = Math.max(err, w * Math.hypot(got[i] - want[i], got[m] - want[m]));
            }
            worst = Math.max(worst, err / Math.max(norm, 1e-300));
        }
        return worst;
    }

    static void assertClose(String what, Jets j, double[] want, double[] got) {
        double e = error(j, want, got);
        assertTrue(e <= TOL, () -> what + " at k=" + j.degree() + ", B=" + j.directions() + ": relative error " + e);
    }

    // ------------------------------------------------------------------ identities

    interface Identity { void check(Jets j, double[] a, double[] b); }

    record Named(String name, Input input, Identity identity) {
        @Override public String toString() { return name; }
    }

    static List<Named> identities() {
        List<Named> l = new ArrayList<>();
        l.add(new Named("exp(log a) = a", Input.WIDE, (j, a, b) -> {
            double[] t = jet(j), u = jet(j);
            j.log(a, 0, t, 0);
            j.exp(t, 0, u, 0);
            assertClose("exp(log a)", j, a, u);
        }));
        l.add(new Named("log(exp a) = a", Input.NARROW, (j, a, b) -> {
            double[] t = jet(j), u = jet(j);
            j.exp(a, 0, t, 0);
            j.log(t, 0, u, 0);
            assertClose("log(exp a)", j, a, u);
        }));
        l.add(new Named("sqrt(a)·sqrt(a) = a", Input.WIDE, (j, a, b) -> {
            double[] t = jet(j), u = jet(j);
            j.sqrt(a, 0, t, 0);
            j.mul(t, 0, t, 0, u, 0);
            assertClose("sqrt(a)^2", j, a, u);
        }));
        l.add(new Named("rsqrt(a)²·a = 1", Input.WIDE, (j, a, b) -> {
            double[] t = jet(j), u = jet(j), one = jet(j);
            j.rsqrt(a, 0, t, 0);
            j.square(t, 0, u, 0);
            j.mul(u, 0, a, 0, u, 0);
            j.constant(1, one, 0);
            assertClose("rsqrt(a)^2 a", j, one, u);
        }));
        l.add(new Named("a·(1/a) = 1", Input.WIDE, (j, a, b) -> {
            double[] t = jet(j), u = jet(j), one = jet(j);
            j.reciprocal(a, 0, t, 0);
            j.mul(a, 0, t, 0, u, 0);
            j.constant(1, one, 0);
            assertClose("a/a", j, one, u);
        }));
        l.add(new Named("(a/b)·b = a", Input.WIDE, (j, a, b) -> {
            double[] t = jet(j), u = jet(j);
            j.div(a, 0, b, 0, t, 0);
            j.mul(t, 0, b, 0, u, 0);
            assertClose("(a/b) b", j, a, u);
        }));
        l.add(new Named("pow(a,2.7)·pow(a,−2.7) = 1, pow(a,½) = sqrt(a)", Input.WIDE, (j, a, b) -> {
            double[] t = jet(j), u = jet(j), one = jet(j);
            j.pow(a, 0, 2.7, t, 0);
            j.pow(a, 0, -2.7, u, 0);
            j.mul(t, 0, u, 0, u, 0);
            j.constant(1, one, 0);
            assertClose("a^2.7 a^-2.7", j, one, u);
            j.pow(a, 0, 0.5, t, 0);
            j.sqrt(a, 0, u, 0);
            assertClose("a^0.5", j, u, t);
        }));
        l.add(new Named("pow(a,3) = a·a·a, pow(a,−1) = 1/a, square = mul", Input.NARROW, (j, a, b) -> {
            double[] t = jet(j), u = jet(j);
            j.pow(a, 0, 3, t, 0);
            j.mul(a, 0, a, 0, u, 0);
            j.mul(u, 0, a, 0, u, 0);
            assertClose("a^3", j, u, t);
            j.square(a, 0, t, 0);
            j.mul(a, 0, a, 0, u, 0);
            assertClose("a^2", j, u, t);
            if (a[0] != 0) {
                j.pow(a, 0, -1, t, 0);
                j.reciprocal(a, 0, u, 0);
                assertClose("a^-1", j, u, t);
            }
        }));
        l.add(new Named("pow(z·c, 3) for a_0 = 0", Input.NARROW, (j, a, b) -> {
            double[] z = a.clone(), t = jet(j), u = jet(j);
            z[0] = 0;
            j.pow(z, 0, 3, t, 0);
            j.mul(z, 0, z, 0, u, 0);
            j.mul(u, 0, z, 0, u, 0);
            assertClose("(zc)^3", j, u, t);
            j.powPrime(z, 0, 3, t, 0, u, 0);
            j.square(z, 0, t, 0);
            j.scale(t, 0, 3, t, 0);
            assertClose("3 (zc)^2", j, t, u);
        }));
        l.add(new Named("log1p(a) = log(1+a), expm1(a) = exp(a) − 1", Input.NARROW, (j, a, b) -> {
            double[] t = jet(j), u = jet(j), c = a.clone();
            c[0] = Math.abs(a[0]) * 0.3; // inside log1p's domain
            j.log1p(c, 0, t, 0);
            j.addReal(c, 0, 1, u, 0);
            j.log(u, 0, u, 0);
            assertClose("log1p", j, u, t);
            j.expm1(a, 0, t, 0);
            j.exp(a, 0, u, 0);
            j.addReal(u, 0, -1, u, 0);
            assertClose("expm1", j, u, t);
        }));
        l.add(new Named("tanh(a) = (e^2a − 1)/(e^2a + 1)", Input.NARROW, (j, a, b) -> {
            double[] e = jet(j), n = jet(j), d = jet(j), t = jet(j);
            j.scale(a, 0, 2, e, 0);
            j.exp(e, 0, e, 0);
            j.addReal(e, 0, -1, n, 0);
            j.addReal(e, 0, 1, d, 0);
            j.div(n, 0, d, 0, n, 0);
            j.tanh(a, 0, t, 0);
            assertClose("tanh", j, n, t);
        }));
        l.add(new Named("sigmoid(a) = 1/(1 + e^−a)", Input.NARROW, (j, a, b) -> {
            double[] e = jet(j), t = jet(j);
            j.neg(a, 0, e, 0);
            j.exp(e, 0, e, 0);
            j.addReal(e, 0, 1, e, 0);
            j.reciprocal(e, 0, e, 0);
            j.sigmoid(a, 0, t, 0);
            assertClose("sigmoid", j, e, t);
        }));
        l.add(new Named("softplus(a) = log(1 + e^a)", Input.NARROW, (j, a, b) -> {
            double[] e = jet(j), t = jet(j);
            j.exp(a, 0, e, 0);
            j.addReal(e, 0, 1, e, 0);
            j.log(e, 0, e, 0);
            j.softplus(a, 0, t, 0);
            assertClose("softplus", j, e, t);
        }));
        l.add(new Named("gelu(a) = a·(1 + erf(a/√2))/2", Input.NARROW, (j, a, b) -> {
            double[] e = jet(j), t = jet(j);
            j.scale(a, 0, 1 / Math.sqrt(2), e, 0);
            j.erf(e, 0, e, 0);
            j.addReal(e, 0, 1, e, 0);
            j.scale(e, 0, 0.5, e, 0);
            j.mul(a, 0, e, 0, e, 0);
            j.gelu(a, 0, t, 0);
            assertClose("gelu", j, e, t);
        }));
        l.add(new Named("erf' = (2/√π)·exp(−a²) along the jet", Input.NARROW, (j, a, b) -> {
            double[] y = jet(j), u = jet(j);
            j.erf(a, 0, y, 0);
            j.square(a, 0, u, 0);
            j.neg(u, 0, u, 0);
            j.exp(u, 0, u, 0);
            j.scale(u, 0, 2 / Math.sqrt(Math.PI), u, 0);
            assertDerivative("erf", j, a, y, u);
        }));
        l.add(new Named("mulAdd = add(mul), addScaled = add(scale), scaleComplex = mul by constant", Input.NARROW,
                (j, a, b) -> {
                    double[] acc = b.clone(), t = jet(j), c = jet(j);
                    j.mulAdd(a, 0, b, 0, acc, 0);
                    j.mul(a, 0, b, 0, t, 0);
                    j.add(t, 0, b, 0, t, 0);
                    assertClose("mulAdd", j, t, acc);
                    acc = b.clone();
                    j.addScaled(a, 0, -0.7, acc, 0);
                    j.scale(a, 0, -0.7, t, 0);
                    j.add(t, 0, b, 0, t, 0);
                    assertClose("addScaled", j, t, acc);
                    double[] z = a.clone();
                    z[0] = 0; // a complex factor needs a_0 = 0
                    j.scaleComplex(z, 0, 0.3, -1.1, t, 0);
                    double[] zr = z.clone(), zi = z.clone();
                    j.scale(z, 0, 0.3, zr, 0);
                    JetLayout layout = j.layout();
                    for (int d = 0; d < j.directions(); d++) { // −1.1i·z = 1.1·im − 1.1i·re
                        for (int r = 1; r <= j.degree(); r++) {
                            int re = layout.re(0, r, d), im = layout.im(0, r, d);
                            zi[re] = 1.1 * z[im];
                            zi[im] = -1.1 * z[re];
                        }
                    }
                    zi[0] = 0;
                    j.add(zr, 0, zi, 0, c, 0);
                    assertClose("scaleComplex", j, c, t);
                }));
        return l;
    }

    static Stream<Arguments> identityArguments() {
        return identities().stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identityArguments")
    void identityHoldsAtEveryDegree(Named id) {
        Random rnd = new Random(id.name().hashCode());
        for (int blocks : BLOCKS) {
            for (int k = 0; k <= MAX_K; k++) {
                Jets j = new Jets(k, blocks);
                id.identity().check(j, random(j, rnd, id.input()), random(j, rnd, Input.WIDE));
            }
        }
    }

    // ------------------------------------------------------------------ the kernel table

    /** Every unary kernel, as (a, out). */
    interface Unary { void run(Jets j, double[] a, int ao, double[] out, int oo); }

    /** Every binary kernel, as (a, b, out). */
    interface Binary { void run(Jets j, double[] a, int ao, double[] b, int bo, double[] out, int oo); }

    /** g'(a) from a and y = g(a). */
    interface Prime { void run(Jets j, double[] a, int ao, double[] y, int yo, double[] out, int oo); }

    record U(String name, Input input, Unary g, Prime prime, boolean anyOverlap) {
        @Override public String toString() { return name; }
    }

    record Bin(String name, Binary f, boolean anyOverlap) {
        @Override public String toString() { return name; }
    }

    static List<U> unaries() {
        List<U> l = new ArrayList<>();
        l.add(new U("exp", Input.NARROW, Jets::exp, Jets::expPrime, true));
        l.add(new U("expm1", Input.NARROW, Jets::expm1, Jets::expm1Prime, true));
        l.add(new U("log", Input.WIDE, Jets::log, Jets::logPrime, true));
        l.add(new U("log1p", Input.WIDE, Jets::log1p, Jets::log1pPrime, true));
        l.add(new U("sqrt", Input.WIDE, Jets::sqrt, Jets::sqrtPrime, true));
        l.add(new U("rsqrt", Input.WIDE, Jets::rsqrt, Jets::rsqrtPrime, true));
        l.add(new U("reciprocal", Input.WIDE, Jets::reciprocal, Jets::reciprocalPrime, true));
        l.add(new U("square", Input.NARROW, Jets::square, Jets::squarePrime, false));
        l.add(new U("tanh", Input.NARROW, Jets::tanh, Jets::tanhPrime, true));
        l.add(new U("sigmoid", Input.NARROW, Jets::sigmoid, Jets::sigmoidPrime, true));
        l.add(new U("softplus", Input.NARROW, Jets::softplus, Jets::softplusPrime, true));
        l.add(new U("erf", Input.NARROW, Jets::erf, Jets::erfPrime, true));
        l.add(new U("gelu", Input.NARROW, Jets::gelu, Jets::geluPrime, true));
        l.add(new U("relu", Input.NARROW, Jets::relu, Jets::reluPrime, false));
        l.add(new U("abs", Input.NARROW, Jets::abs, Jets::absPrime, false));
        l.add(new U("pow(2.7)", Input.WIDE, (j, a, ao, o, oo) -> j.pow(a, ao, 2.7, o, oo),
                (j, a, ao, y, yo, o, oo) -> j.powPrime(a, ao, 2.7, y, yo, o, oo), true));
        l.add(new U("pow(-0.3)", Input.WIDE, (j, a, ao, o, oo) -> j.pow(a, ao, -0.3, o, oo),
                (j, a, ao, y, yo, o, oo) -> j.powPrime(a, ao, -0.3, y, yo, o, oo), true));
        l.add(new U("pow(4)", Input.NARROW, (j, a, ao, o, oo) -> j.pow(a, ao, 4, o, oo),
                (j, a, ao, y, yo, o, oo) -> j.powPrime(a, ao, 4, y, yo, o, oo), true));
        l.add(new U("neg", Input.NARROW, Jets::neg, null, false));
        l.add(new U("copy", Input.NARROW, Jets::copy, null, true));
        l.add(new U("addReal", Input.NARROW, (j, a, ao, o, oo) -> j.addReal(a, ao, 0.4, o, oo), null, true));
        l.add(new U("scale", Input.NARROW, (j, a, ao, o, oo) -> j.scale(a, ao, 0.4, o, oo), null, false));
        return l;
    }

    static List<Bin> binaries() {
        List<Bin> l = new ArrayList<>();
        l.add(new Bin("mul", Jets::mul, false));
        l.add(new Bin("div", Jets::div, true));
        l.add(new Bin("add", Jets::add, false));
        l.add(new Bin("sub", Jets::sub, false));
        l.add(new Bin("max", Jets::max, false));
        l.add(new Bin("min", Jets::min, false));
        return l;
    }

    static Stream<Arguments> unaryArguments() {
        return unaries().stream().map(Arguments::of);
    }

    static Stream<Arguments> primeArguments() {
        return unaries().stream().filter(u -> u.prime() != null).map(Arguments::of);
    }

    static Stream<Arguments> binaryArguments() {
        return binaries().stream().map(Arguments::of);
    }

    static double[] jet(Jets j) {
        return new double[j.stride()];
    }

    // ------------------------------------------------------------------ g'(a) vs d/dz g(a)

    /** r·y_r = Σ_{j=1..r} j·a_j·u_(r−j) for r = 1..k, computed naively here. */
    static void assertDerivative(String what, Jets jets, double[] a, double[] y, double[] u) {
        int k = jets.degree();
        for (int b = 0; b < jets.directions(); b++) {
            double[] lhs = new double[2 * (k + 1)], rhs = new double[2 * (k + 1)];
            for (int r = 1; r <= k; r++) {
                lhs[2 * r] = r * re(y, k, b, r);
                lhs[2 * r + 1] = r * im(y, k, b, r);
                for (int j = 1; j <= r; j++) {
                    double ar = re(a, k, b, j), ai = im(a, k, b, j), ur = re(u, k, b, r - j), ui = im(u, k, b, r - j);
                    rhs[2 * r] += j * (ar * ur - ai * ui);
                    rhs[2 * r + 1] += j * (ar * ui + ai * ur);
                }
            }
            double norm = 0, err = 0, w = 1;
            for (int r = 1; r <= k; r++) {
                w *= RHO;
                norm = Math.max(norm, w * Math.hypot(rhs[2 * r], rhs[2 * r + 1]));
                err = Math.max(err, w * Math.hypot(lhs[2 * r] - rhs[2 * r], lhs[2 * r + 1] - rhs[2 * r + 1]));
            }
            double e = err / Math.max(norm, 1e-300);
            int bb = b;
            assertTrue(err == 0 || e <= TOL,
                    () -> what + "' at k=" + k + " direction " + bb + ": relative error " + e);
        }
    }

    static double re(double[] x, int k, int b, int r) {
        return r == 0 ? x[0] : x[layout(x, k).re(0, r, b)];
    }

    static double im(double[] x, int k, int b, int r) {
        return r == 0 ? 0 : x[layout(x, k).im(0, r, b)];
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("primeArguments")
    void primeIsTheDerivativeOfTheJet(U op) {
        Random rnd = new Random(op.name().hashCode());
        for (int blocks : BLOCKS) {
            for (int k = 0; k <= MAX_K; k++) {
                Jets j = new Jets(k, blocks);
                double[] a = random(j, rnd, op.input()), y = jet(j), u = jet(j);
                op.g().run(j, a, 0, y, 0);
                op.prime().run(j, a, 0, y, 0, u, 0);
                assertDerivative(op.name(), j, a, y, u);
            }
        }
    }

    // ------------------------------------------------------------------ batching and aliasing

    @ParameterizedTest(name = "{0}")
    @MethodSource("unaryArguments")
    void unaryBatchedEqualsSeparateAndAliasingIsExact(U op) {
        Random rnd = new Random(op.name().hashCode() + 1);
        for (int blocks : BATCHES) for (int k : SOME_DEGREES) {
            Jets j3 = new Jets(k, blocks), j1 = new Jets(k, 1);
            double[] a = random(j3, rnd, op.input()), y = jet(j3);
            op.g().run(j3, a, 0, y, 0);
            for (int b = 0; b < blocks; b++) {
                double[] ab = direction(a, k, b), yb = jet(j1);
                op.g().run(j1, ab, 0, yb, 0);
                assertArrayEquals(direction(y, k, b), yb, 0.0, op.name() + " direction " + b + " k=" + k + " B=" + blocks);
            }
            // out = a, in place.
            double[] inPlace = a.clone();
            op.g().run(j3, inPlace, 0, inPlace, 0);
            assertArrayEquals(y, inPlace, 0.0, op.name() + " in place, k=" + k);
            if (op.anyOverlap() && k > 0) assertPartialOverlap(j3, op.g(), a, y, op.name());

            if (op.prime() != null) {
                double[] u = jet(j3);
                op.prime().run(j3, a, 0, y, 0, u, 0);
                for (int b = 0; b < blocks; b++) {
                    double[] ab = direction(a, k, b), yb = direction(y, k, b), ub = jet(j1);
                    op.prime().run(j1, ab, 0, yb, 0, ub, 0);
                    assertArrayEquals(direction(u, k, b), ub, 0.0, op.name() + "Prime direction " + b + " k=" + k + " B=" + blocks);
                }
                double[] outIsA = a.clone(), outIsY = y.clone();
                op.prime().run(j3, outIsA, 0, y, 0, outIsA, 0);
                assertArrayEquals(u, outIsA, 0.0, op.name() + "Prime with out = a, k=" + k);
                op.prime().run(j3, a, 0, outIsY, 0, outIsY, 0);
                assertArrayEquals(u, outIsY, 0.0, op.name() + "Prime with out = y, k=" + k);
                if (k > 0) {
                    // Partially overlapping a (then y) and out.
                    int s = j3.stride();
                    double[] buf = new double[2 * s];
                    System.arraycopy(a, 0, buf, 0, s);
                    op.prime().run(j3, buf, 0, y, 0, buf, 3);
                    assertArrayEquals(u, Arrays.copyOfRange(buf, 3, 3 + s), 0.0, op.name() + "Prime, a overlaps out");
                    System.arraycopy(y, 0, buf, 3, s);
                    op.prime().run(j3, a, 0, buf, 3, buf, 0);
                    assertArrayEquals(u, Arrays.copyOfRange(buf, 0, s), 0.0, op.name() + "Prime, y overlaps out");
                }
            }
        }
    }

    /** The kernel reading a at offset 0 of a buffer and writing out at offset 3 (and the reverse). */
    static void assertPartialOverlap(Jets j, Unary g, double[] a, double[] want, String name) {
        int s = j.stride();
        double[] buf = new double[s + 3];
        System.arraycopy(a, 0, buf, 0, s);
        g.run(j, buf, 0, buf, 3);
        assertArrayEquals(want, Arrays.copyOfRange(buf, 3, 3 + s), 0.0, name + ": out overlaps a from above");
        System.arraycopy(a, 0, buf, 3, s);
        g.run(j, buf, 3, buf, 0);
        assertArrayEquals(want, Arrays.copyOfRange(buf, 0, s), 0.0, name + ": out overlaps a from below");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("binaryArguments")
    void binaryBatchedEqualsSeparateAndAliasingIsExact(Bin op) {
        Random rnd = new Random(op.name().hashCode() + 2);
        for (int blocks : BATCHES) for (int k : SOME_DEGREES) {
            Jets j3 = new Jets(k, blocks), j1 = new Jets(k, 1);
            double[] a = random(j3, rnd, Input.WIDE), b = random(j3, rnd, Input.WIDE), c = jet(j3);
            op.f().run(j3, a, 0, b, 0, c, 0);
            for (int d = 0; d < blocks; d++) {
                double[] cd = jet(j1);
                op.f().run(j1, direction(a, k, d), 0, direction(b, k, d), 0, cd, 0);
                assertArrayEquals(direction(c, k, d), cd, 0.0, op.name() + " direction " + d + " k=" + k + " B=" + blocks);
            }
            double[] outIsA = a.clone(), outIsB = b.clone();
            op.f().run(j3, outIsA, 0, b, 0, outIsA, 0);
            assertArrayEquals(c, outIsA, 0.0, op.name() + " out = a, k=" + k);
            op.f().run(j3, a, 0, outIsB, 0, outIsB, 0);
            assertArrayEquals(c, outIsB, 0.0, op.name() + " out = b, k=" + k);
            double[] sq = jet(j3), all = a.clone();
            op.f().run(j3, a, 0, a, 0, sq, 0);
            op.f().run(j3, all, 0, all, 0, all, 0);
            assertArrayEquals(sq, all, 0.0, op.name() + " out = a = b, k=" + k);
            if (op.anyOverlap() && k > 0) {
                int s = j3.stride();
                double[] buf = new double[s + 3];
                System.arraycopy(a, 0, buf, 0, s);
                op.f().run(j3, buf, 0, b, 0, buf, 3);
                assertArrayEquals(c, Arrays.copyOfRange(buf, 3, 3 + s), 0.0, op.name() + ": a overlaps out");
                System.arraycopy(b, 0, buf, 3, s);
                op.f().run(j3, a, 0, buf, 3, buf, 0);
                assertArrayEquals(c, Arrays.copyOfRange(buf, 0, s), 0.0, op.name() + ": b overlaps out");
            }
        }
    }

    @Test
    void productsAndScaleComplexBatchedEqualSeparate() {
        Random rnd = new Random(11);
        // 8 and 19: whole vectors of directions, and a remainder, on the Vector API path
        for (int blocks : new int[] {3, 8, 19}) {
            for (int k : SOME_DEGREES) {
                Jets jb = new Jets(k, blocks), j1 = new Jets(k, 1);
                double[] a = random(jb, rnd, Input.WIDE), b = random(jb, rnd, Input.WIDE), acc = random(jb, rnd, Input.WIDE);
                double[] accB = acc.clone(), sc = jet(jb), prod = jet(jb), z = a.clone();
                z[0] = 0;
                jb.mulAdd(a, 0, b, 0, accB, 0);
                jb.mul(a, 0, b, 0, prod, 0);
                jb.scaleComplex(z, 0, 0.2, 0.9, sc, 0);
                for (int d = 0; d < blocks; d++) {
                    String where = " direction " + d + " of " + blocks + ", k=" + k;
                    double[] acc1 = direction(acc, k, d), sc1 = jet(j1), prod1 = jet(j1);
                    j1.mulAdd(direction(a, k, d), 0, direction(b, k, d), 0, acc1, 0);
                    assertArrayEquals(direction(accB, k, d), acc1, 0.0, "mulAdd" + where);
                    j1.mul(direction(a, k, d), 0, direction(b, k, d), 0, prod1, 0);
                    assertArrayEquals(direction(prod, k, d), prod1, 0.0, "mul" + where);
                    j1.scaleComplex(direction(z, k, d), 0, 0.2, 0.9, sc1, 0);
                    assertArrayEquals(direction(sc, k, d), sc1, 0.0, "scaleComplex" + where);
                }
            }
        }
    }

    @Test
    void vectorKernelsGiveTheScalarKernelsBits() {
        assumeTrue(Simd.ENABLED, "jdk.incubator.vector is not enabled in this JVM");
        Random rnd = new Random(13);
        // Every degree to 13 crosses each boundary of the kernels' unrolling (degree 3 written out;
        // B = 1 terms taken four j at a time, then one by one); 17, 33 and 100 the long sweeps.
        // Blocks: 1 and 3 (recurrences direction by direction), 8, 16 and 19 (across directions
        // in whole vectors of 2, 4 or 8 lanes, 19 with a remainder done direction by direction).
        int[] degrees = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 17, 33, 100};
        for (int blocks : new int[] {1, 3, 8, 16, 19}) {
            for (int k : degrees) {
                Jets vec = new Jets(k, blocks, true), sca = new Jets(k, blocks, false);
                assertTrue(vec.vectorized());
                assertFalse(sca.vectorized());
                double[] a = random(vec, rnd, Input.WIDE), b = random(vec, rnd, Input.WIDE);
                double[] acc = random(vec, rnd, Input.WIDE), accV = acc.clone(), accS = acc.clone();
                double[] outV = jet(vec), outS = jet(vec);
                vec.mul(a, 0, b, 0, outV, 0);
                sca.mul(a, 0, b, 0, outS, 0);
                assertArrayEquals(outS, outV, 0.0, "mul, k=" + k + " B=" + blocks);
                vec.mulAdd(a, 0, b, 0, accV, 0);
                sca.mulAdd(a, 0, b, 0, accS, 0);
                assertArrayEquals(accS, accV, 0.0, "mulAdd, k=" + k + " B=" + blocks);
                // Every other kernel, and its derivative kernel, on inputs in its domain (the
                // series inverse and the compositions run across directions for B >= one vector).
                for (U op : unaries()) {
                    double[] x = random(vec, rnd, op.input()), yV = jet(vec), yS = jet(vec);
                    op.g().run(vec, x, 0, yV, 0);
                    op.g().run(sca, x, 0, yS, 0);
                    assertArrayEquals(yS, yV, 0.0, op.name() + ", k=" + k + " B=" + blocks);
                    double[] inPlace = x.clone();
                    op.g().run(vec, inPlace, 0, inPlace, 0);
                    assertArrayEquals(yS, inPlace, 0.0, op.name() + " in place, k=" + k + " B=" + blocks);
                    if (op.prime() == null) continue;
                    op.prime().run(vec, x, 0, yS, 0, outV, 0);
                    op.prime().run(sca, x, 0, yS, 0, outS, 0);
                    assertArrayEquals(outS, outV, 0.0, op.name() + "Prime, k=" + k + " B=" + blocks);
                }
                for (Bin op : binaries()) {
                    op.f().run(vec, a, 0, b, 0, outV, 0);
                    op.f().run(sca, a, 0, b, 0, outS, 0);
                    assertArrayEquals(outS, outV, 0.0, op.name() + ", k=" + k + " B=" + blocks);
                }
            }
        }
    }

    @Test
    void writtenOutSmallDegreeProductEqualsTheLoopBitForBit() {
        Random rnd = new Random(5);
        for (int k = 0; k <= 4; k++) {
            for (int blocks : new int[] {1}) { // the loop is the B = 1 kernel; B > 1 is checked against B = 1
                Jets j = new Jets(k, blocks);
                double[] a = random(j, rnd, Input.WIDE), b = random(j, rnd, Input.WIDE);
                double[] viaMul = jet(j), viaLoop = jet(j);
                j.mul(a, 0, b, 0, viaMul, 0);
                j.mulLoop(a, 0, b, 0, viaLoop, 0);
                assertArrayEquals(viaLoop, viaMul, 0.0, "k=" + k + " B=" + blocks);
                double[] inPlace = a.clone();
                j.mul(inPlace, 0, inPlace, 0, inPlace, 0);
                j.mulLoop(a, 0, a, 0, viaLoop, 0);
                assertArrayEquals(viaLoop, inPlace, 0.0, "a·a in place, k=" + k + " B=" + blocks);
            }
        }
    }

    @Test
    void layoutMatchesTheWorkedExample() {
        Jets j = new Jets(2, 2);
        assertEquals(9, j.stride());
        assertEquals(2, j.degree());
        assertEquals(2, j.directions());
        // a = 2 + (1+i)z + 0z² in direction 0, 2 + 0z + (3−i)z² in direction 1; a² checked by hand.
        // Layout: a_0, then per coefficient the real parts of both directions, then the imaginary.
        double[] a = {2, 1, 0, 1, 0, 0, 3, 0, -1};
        double[] out = new double[9];
        j.square(a, 0, out, 0);
        // direction 0: 4 + 4(1+i)z + (1+i)²z² = 4 + (4+4i)z + 2i z²
        // direction 1: 4 + 0z + 4(3−i)z² = 4 + (12−4i)z²
        assertArrayEquals(new double[] {4, 4, 0, 4, 0, 0, 12, 2, -4}, out, 0.0);
        // Degree 0: the stride is 1 and a jet is its real value.
        Jets j0 = new Jets(0, 5);
        assertEquals(1, j0.stride());
        double[] x = {0.25}, y = new double[1];
        j0.exp(x, 0, y, 0);
        assertEquals(Math.exp(0.25), y[0], 0.0);
        // Offsets: a jet in the middle of a larger array; neighbours are untouched.
        double[] big = new double[30];
        Arrays.fill(big, 7);
        System.arraycopy(a, 0, big, 10, 9);
        j.exp(big, 10, big, 20);
        for (int i = 0; i < 10; i++) assertEquals(7, big[i]);
        assertEquals(7, big[19]);
        assertEquals(7, big[29]);
        assertEquals(Math.exp(2), big[20], 1e-15);
    }
}
