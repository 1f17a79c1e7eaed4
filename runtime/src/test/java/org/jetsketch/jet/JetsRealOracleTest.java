package org.jetsketch.jet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kernel and every Prime with real coefficients against Commons Math
 * {@link DerivativeStructure} (one free variable, order k), for k = 0..10, on a grid of constant
 * terms across each operation's domain with random real higher coefficients, in blocks of 1 and
 * of 16 directions (direction d: the same jets along a rescaled direction, coefficient r times
 * s_d^r with |s_d| ≤ 1, so that each lane computes different numbers). Tolerance:
 * |got_r − want_r| ≤ 1e-13·(1+r)²·max(1, |want_r|) (tight at low order, growing with the order).
 */
class JetsRealOracleTest {
    static final int MAX_K = 10;

    /** A kernel under test on jet blocks: a (and b) in, out out. */
    interface Kernel { void run(Jets j, double[] a, double[] b, double[] out); }

    /** One line per kernel: its grid of a_0 (and b_0), the kernel call, the DS oracle. */
    record Case(String name, double lo, double hi, double bLo, double bHi, Kernel kernel,
                java.util.function.BinaryOperator<DerivativeStructure> oracle) {
        @Override public String toString() { return name; }
    }

    static Case unary(String name, double lo, double hi, Kernel k, UnaryOperator<DerivativeStructure> f) {
        return new Case(name, lo, hi, 0, 0, k, (p, q) -> f.apply(p));
    }

    static Case binary(String name, double lo, double hi, double bLo, double bHi, Kernel k,
                       java.util.function.BinaryOperator<DerivativeStructure> f) {
        return new Case(name, lo, hi, bLo, bHi, k, f);
    }

    /** A Prime kernel: the forward kernel computes y = g(a) into scratch, then g'(a) into out. */
    interface Forward { void run(Jets j, double[] a, int ao, double[] out, int oo); }
    interface PrimeKernel { void run(Jets j, double[] a, int ao, double[] y, int yo, double[] out, int oo); }

    static Kernel prime(Forward g, PrimeKernel gPrime) {
        return (j, a, b, out) -> {
            double[] y = new double[j.stride()];
            g.run(j, a, 0, y, 0);
            gPrime.run(j, a, 0, y, 0, out, 0);
        };
    }

    static final double C = 2 / Math.sqrt(Math.PI);

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // ---- linear
        c.add(binary("add", -3, 3, -3, 3, (j, a, b, o) -> j.add(a, 0, b, 0, o, 0), DerivativeStructure::add));
        c.add(binary("sub", -3, 3, -3, 3, (j, a, b, o) -> j.sub(a, 0, b, 0, o, 0), DerivativeStructure::subtract));
        c.add(unary("neg", -3, 3, (j, a, b, o) -> j.neg(a, 0, o, 0), DerivativeStructure::negate));
        c.add(unary("addReal", -3, 3, (j, a, b, o) -> j.addReal(a, 0, 1.75, o, 0), p -> p.add(1.75)));
        c.add(unary("scale", -3, 3, (j, a, b, o) -> j.scale(a, 0, -2.5, o, 0), p -> p.multiply(-2.5)));
        c.add(unary("scaleComplex(real)", -3, 3, (j, a, b, o) -> j.scaleComplex(a, 0, 0.75, 0.0, o, 0), p -> p.multiply(0.75)));
        c.add(unary("copy", -3, 3, (j, a, b, o) -> j.copy(a, 0, o, 0), p -> p));
        c.add(unary("constant", -3, 3, (j, a, b, o) -> j.constant(a[0], o, 0), p -> DsOracle.constant(p, p.getValue())));
        c.add(unary("zero", -3, 3, (j, a, b, o) -> j.zero(o, 0), p -> DsOracle.constant(p, 0)));
        c.add(binary("addScaled", -3, 3, -3, 3, (j, a, b, o) -> { j.copy(b, 0, o, 0); j.addScaled(a, 0, 0.3, o, 0); },
                (p, q) -> q.add(p.multiply(0.3))));
        // ---- products and division
        c.add(binary("mul", -3, 3, -3, 3, (j, a, b, o) -> j.mul(a, 0, b, 0, o, 0), DerivativeStructure::multiply));
        c.add(unary("square", -3, 3, (j, a, b, o) -> j.square(a, 0, o, 0), p -> p.multiply(p)));
        c.add(binary("mulAdd", -3, 3, -3, 3, (j, a, b, o) -> { j.copy(b, 0, o, 0); j.mulAdd(a, 0, b, 0, o, 0); },
                (p, q) -> q.add(p.multiply(q))));
        c.add(unary("reciprocal", 0.3, 3, (j, a, b, o) -> j.reciprocal(a, 0, o, 0), DerivativeStructure::reciprocal));
        c.add(unary("reciprocal(<0)", -3, -0.3, (j, a, b, o) -> j.reciprocal(a, 0, o, 0), DerivativeStructure::reciprocal));
        c.add(binary("div", -3, 3, 0.4, 3, (j, a, b, o) -> j.div(a, 0, b, 0, o, 0), DerivativeStructure::divide));
        c.add(binary("div(<0)", -3, 3, -3, -0.4, (j, a, b, o) -> j.div(a, 0, b, 0, o, 0), DerivativeStructure::divide));
        // ---- elementary functions
        c.add(unary("exp", -3, 3, (j, a, b, o) -> j.exp(a, 0, o, 0), DerivativeStructure::exp));
        c.add(unary("expm1", -3, 3, (j, a, b, o) -> j.expm1(a, 0, o, 0), DerivativeStructure::expm1));
        c.add(unary("log", 0.3, 5, (j, a, b, o) -> j.log(a, 0, o, 0), DerivativeStructure::log));
        c.add(unary("log1p", -0.7, 4, (j, a, b, o) -> j.log1p(a, 0, o, 0), DerivativeStructure::log1p));
        c.add(unary("sqrt", 0.3, 5, (j, a, b, o) -> j.sqrt(a, 0, o, 0), DerivativeStructure::sqrt));
        c.add(unary("rsqrt", 0.3, 5, (j, a, b, o) -> j.rsqrt(a, 0, o, 0), p -> p.sqrt().reciprocal()));
        c.add(unary("pow(2.7)", 0.3, 5, (j, a, b, o) -> j.pow(a, 0, 2.7, o, 0), p -> p.pow(2.7)));
        c.add(unary("pow(-1.5)", 0.3, 5, (j, a, b, o) -> j.pow(a, 0, -1.5, o, 0), p -> p.pow(-1.5)));
        c.add(unary("pow(3)", -3, 3, (j, a, b, o) -> j.pow(a, 0, 3, o, 0), p -> p.pow(3)));
        c.add(unary("pow(5)", -2, 2, (j, a, b, o) -> j.pow(a, 0, 5, o, 0), p -> p.pow(5)));
        c.add(unary("pow(-2)", -3, -0.3, (j, a, b, o) -> j.pow(a, 0, -2, o, 0), p -> p.pow(-2)));
        c.add(unary("pow(0)", -3, 3, (j, a, b, o) -> j.pow(a, 0, 0, o, 0), p -> DsOracle.constant(p, 1)));
        c.add(unary("tanh", -3, 3, (j, a, b, o) -> j.tanh(a, 0, o, 0), DerivativeStructure::tanh));
        c.add(unary("sigmoid", -4, 4, (j, a, b, o) -> j.sigmoid(a, 0, o, 0), DsOracle::sigmoid));
        c.add(unary("softplus", -4, 4, (j, a, b, o) -> j.softplus(a, 0, o, 0), DsOracle::softplus));
        c.add(unary("erf", -3, 3, (j, a, b, o) -> j.erf(a, 0, o, 0), DsOracle::erf));
        c.add(unary("gelu", -4, 4, (j, a, b, o) -> j.gelu(a, 0, o, 0), DsOracle::gelu));
        c.add(unary("relu", -3, 3, (j, a, b, o) -> j.relu(a, 0, o, 0), DsOracle::relu));
        c.add(unary("abs", -3, 3, (j, a, b, o) -> j.abs(a, 0, o, 0), DerivativeStructure::abs));
        c.add(binary("max", -3, 3, -3, 3, (j, a, b, o) -> j.max(a, 0, b, 0, o, 0), (p, q) -> q.getValue() > p.getValue() ? q : p));
        c.add(binary("min", -3, 3, -3, 3, (j, a, b, o) -> j.min(a, 0, b, 0, o, 0), (p, q) -> q.getValue() < p.getValue() ? q : p));
        // ---- g'(a) jets
        c.add(unary("expPrime", -3, 3, prime(Jets::exp, Jets::expPrime), DerivativeStructure::exp));
        c.add(unary("expm1Prime", -3, 3, prime(Jets::expm1, Jets::expm1Prime), DerivativeStructure::exp));
        c.add(unary("logPrime", 0.3, 5, prime(Jets::log, Jets::logPrime), DerivativeStructure::reciprocal));
        c.add(unary("log1pPrime", -0.7, 4, prime(Jets::log1p, Jets::log1pPrime), p -> p.add(1).reciprocal()));
        c.add(unary("sqrtPrime", 0.3, 5, prime(Jets::sqrt, Jets::sqrtPrime), p -> p.sqrt().reciprocal().multiply(0.5)));
        c.add(unary("rsqrtPrime", 0.3, 5, prime(Jets::rsqrt, Jets::rsqrtPrime), p -> p.pow(-1.5).multiply(-0.5)));
        c.add(unary("tanhPrime", -3, 3, prime(Jets::tanh, Jets::tanhPrime), p -> p.tanh().multiply(p.tanh()).negate().add(1)));
        c.add(unary("sigmoidPrime", -4, 4, prime(Jets::sigmoid, Jets::sigmoidPrime),
                p -> DsOracle.sigmoid(p).multiply(DsOracle.sigmoid(p.negate()))));
        c.add(unary("softplusPrime", -4, 4, prime(Jets::softplus, Jets::softplusPrime), DsOracle::sigmoid));
        c.add(unary("erfPrime", -3, 3, prime(Jets::erf, Jets::erfPrime), p -> p.multiply(p).negate().exp().multiply(C)));
        c.add(unary("geluPrime", -4, 4, prime(Jets::gelu, Jets::geluPrime),
                p -> DsOracle.normalCdf(p).add(p.multiply(DsOracle.normalPdf(p)))));
        c.add(unary("reluPrime", -3, 3, prime(Jets::relu, Jets::reluPrime), p -> DsOracle.constant(p, p.getValue() <= 0 ? 0 : 1)));
        c.add(unary("absPrime", -3, 3, prime(Jets::abs, Jets::absPrime), p -> DsOracle.constant(p, p.getValue() < 0 ? -1 : 1)));
        c.add(unary("reciprocalPrime", 0.3, 3, prime(Jets::reciprocal, Jets::reciprocalPrime), p -> p.multiply(p).reciprocal().negate()));
        c.add(unary("squarePrime", -3, 3, prime(Jets::square, Jets::squarePrime), p -> p.multiply(2)));
        c.add(unary("powPrime(2.7)", 0.3, 5, prime((j, a, ao, o, oo) -> j.pow(a, ao, 2.7, o, oo),
                (j, a, ao, y, yo, o, oo) -> j.powPrime(a, ao, 2.7, y, yo, o, oo)), p -> p.pow(1.7).multiply(2.7)));
        c.add(unary("powPrime(-1.5)", 0.3, 5, prime((j, a, ao, o, oo) -> j.pow(a, ao, -1.5, o, oo),
                (j, a, ao, y, yo, o, oo) -> j.powPrime(a, ao, -1.5, y, yo, o, oo)), p -> p.pow(-2.5).multiply(-1.5)));
        c.add(unary("powPrime(3)", -3, 3, prime((j, a, ao, o, oo) -> j.pow(a, ao, 3, o, oo),
                (j, a, ao, y, yo, o, oo) -> j.powPrime(a, ao, 3, y, yo, o, oo)), p -> p.pow(2).multiply(3)));
        return c;
    }

    static Stream<Arguments> caseArguments() {
        return cases().stream().map(Arguments::of);
    }

    /** n equally spaced points across [lo, hi]. */
    static double[] grid(double lo, double hi, int n) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) g[i] = lo + (hi - lo) * i / (n - 1);
        return g;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("caseArguments")
    void agreesWithDerivativeStructure(Case c) {
        Random rnd = new Random(c.name().hashCode());
        // B = 1, and B = 16 with its own higher coefficients in every direction (with the Vector API,
        // which Maven's test JVM enables, the recurrences then run across the directions)
        for (int blocks : new int[] {1, 16}) {
            for (int k = 0; k <= MAX_K; k++) {
                Jets j = new Jets(k, blocks);
                JetLayout layout = j.layout();
                double[] ga = grid(c.lo(), c.hi(), 13);
                double[] gb = grid(c.bLo(), c.bHi(), 13);
                for (int g = 0; g < ga.length; g++) {
                    double[][] x = new double[blocks][], y = new double[blocks][];
                    double[] a = new double[j.stride()], b = new double[j.stride()], out = new double[j.stride()];
                    double[] x0 = randomReal(rnd, k, ga[g]), y0 = randomReal(rnd, k, gb[(g * 5) % gb.length]);
                    for (int d = 0; d < blocks; d++) {
                        // direction d: the same jets along z·s_d, |s_d| <= 1 (coefficient r times s_d^r), so
                        // every lane differs and none is worse conditioned than the B = 1 case
                        double sd = (d % 2 == 0 ? 1 : -1) * (1 - 0.04 * (d / 2));
                        x[d] = x0.clone();
                        y[d] = y0.clone();
                        for (int r = 1; r <= k; r++) {
                            double sr = Math.pow(sd, r);
                            x[d][r] *= sr;
                            y[d][r] *= sr;
                        }
                        a[0] = x[d][0];
                        b[0] = y[d][0];
                        for (int r = 1; r <= k; r++) {
                            a[layout.re(0, r, d)] = x[d][r];
                            b[layout.re(0, r, d)] = y[d][r];
                        }
                    }
                    java.util.Arrays.fill(out, Double.NaN); // every coefficient must be written
                    c.kernel().run(j, a, b, out);
                    for (int d = 0; d < blocks; d++) {
                        double[] want = DsOracle.taylor(c.oracle().apply(DsOracle.poly(x[d], k), DsOracle.poly(y[d], k)), k);
                        for (int r = 0; r <= k; r++) {
                            double got = out[r == 0 ? 0 : layout.re(0, r, d)];
                            double gotIm = r == 0 ? 0 : out[layout.im(0, r, d)];
                            double tol = 1e-13 * (1 + r) * (1 + r) * Math.max(1, Math.abs(want[r]));
                            double err = Math.abs(got - want[r]);
                            int rr = r, dd = d;
                            assertTrue(err <= tol && gotIm == 0, () -> c.name() + ": k=" + j.degree() + " B=" + blocks
                                    + " direction " + dd + " a0=" + a[0] + " coefficient " + rr + ": got " + got + " + "
                                    + gotIm + "i, want " + want[rr]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void compositionLogOnePlusExpTanhXTimesX() {
        Random rnd = new Random(7);
        for (int k = 0; k <= MAX_K; k++) {
            Jets j = new Jets(k, 1);
            for (double x0 : grid(-2.5, 2.5, 11)) {
                double[] x = randomReal(rnd, k, x0);
                double[] a = toJet(x, k);
                int s = j.stride();
                double[] t = new double[s], u = new double[s], v = new double[s], out = new double[s];
                j.tanh(a, 0, t, 0);
                j.mul(t, 0, a, 0, u, 0);
                j.exp(u, 0, v, 0);
                j.log1p(v, 0, out, 0); // log(1 + e^(tanh(x)·x))
                DerivativeStructure p = DsOracle.poly(x, k);
                double[] want = DsOracle.taylor(p.tanh().multiply(p).exp().add(1).log(), k);
                for (int r = 0; r <= k; r++) {
                    double got = out[r == 0 ? 0 : 2 * r - 1];
                    double tol = 1e-12 * (1 + r) * (1 + r) * Math.max(1, Math.abs(want[r]));
                    int rr = r;
                    assertTrue(Math.abs(got - want[r]) <= tol,
                            () -> "k=" + j.degree() + " x0=" + x0 + " r=" + rr + ": got " + got + ", want " + want[rr]);
                }
            }
        }
    }

    /** x_0 given; x_r uniform in [−1, 1]·0.8^(r−1) for r ≥ 1. */
    static double[] randomReal(Random rnd, int k, double x0) {
        double[] x = new double[k + 1];
        x[0] = x0;
        double s = 1;
        for (int r = 1; r <= k; r++, s *= 0.8) x[r] = s * (2 * rnd.nextDouble() - 1);
        return x;
    }

    /** The B = 1 jet (imaginary parts 0) with these real coefficients. */
    static double[] toJet(double[] x, int k) {
        double[] a = new double[1 + 2 * k];
        a[0] = x[0];
        for (int r = 1; r <= k; r++) a[2 * r - 1] = x[r];
        return a;
    }
}
