package org.jetsketch.jet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every domain error throws {@link JetDomainException} whose message names the operation and the
 * offending value — from the jet kernels and from {@link RealMath} alike — and leaves no silent
 * NaN or infinity.
 */
class JetDomainTest {
    static final Jets J = new Jets(3, 2);

    /** A jet whose constant term is c and whose higher coefficients are arbitrary. */
    static double[] jet(double c) {
        double[] a = new double[J.stride()];
        for (int i = 1; i < a.length; i++) a[i] = 0.1 * i;
        a[0] = c;
        return a;
    }

    record Bad(String call, String operation, double value, Executable run) {
        @Override public String toString() { return call; }
    }

    static List<Bad> bad() {
        double[] out = new double[J.stride()];
        double nan = Double.NaN, inf = Double.POSITIVE_INFINITY;
        List<Bad> l = new ArrayList<>();
        l.add(new Bad("log(-0.5)", "log", -0.5, () -> J.log(jet(-0.5), 0, out, 0)));
        l.add(new Bad("log(0)", "log", 0.0, () -> J.log(jet(0), 0, out, 0)));
        l.add(new Bad("log(NaN)", "log", nan, () -> J.log(jet(nan), 0, out, 0)));
        l.add(new Bad("log(inf)", "log", inf, () -> J.log(jet(inf), 0, out, 0)));
        l.add(new Bad("log1p(-1)", "log1p", -1.0, () -> J.log1p(jet(-1), 0, out, 0)));
        l.add(new Bad("log1p(-2)", "log1p", -2.0, () -> J.log1p(jet(-2), 0, out, 0)));
        l.add(new Bad("sqrt(0)", "sqrt", 0.0, () -> J.sqrt(jet(0), 0, out, 0)));
        l.add(new Bad("sqrt(-4)", "sqrt", -4.0, () -> J.sqrt(jet(-4), 0, out, 0)));
        l.add(new Bad("rsqrt(-1)", "rsqrt", -1.0, () -> J.rsqrt(jet(-1), 0, out, 0)));
        l.add(new Bad("rsqrt(-inf)", "rsqrt", -inf, () -> J.rsqrt(jet(-inf), 0, out, 0)));
        l.add(new Bad("pow(-1, 0.5)", "pow", -1.0, () -> J.pow(jet(-1), 0, 0.5, out, 0)));
        l.add(new Bad("pow(0, 0.5)", "pow", 0.0, () -> J.pow(jet(0), 0, 0.5, out, 0)));
        l.add(new Bad("pow(0, -2)", "pow", 0.0, () -> J.pow(jet(0), 0, -2, out, 0)));
        l.add(new Bad("pow(2, NaN)", "pow", nan, () -> J.pow(jet(2), 0, nan, out, 0)));
        l.add(new Bad("pow(NaN, 2)", "pow", nan, () -> J.pow(jet(nan), 0, 2, out, 0)));
        l.add(new Bad("reciprocal(0)", "reciprocal", 0.0, () -> J.reciprocal(jet(0), 0, out, 0)));
        l.add(new Bad("reciprocal(NaN)", "reciprocal", nan, () -> J.reciprocal(jet(nan), 0, out, 0)));
        l.add(new Bad("div(1, 0)", "div", 0.0, () -> J.div(jet(1), 0, jet(0), 0, out, 0)));
        l.add(new Bad("div(1, inf)", "div", inf, () -> J.div(jet(1), 0, jet(inf), 0, out, 0)));
        l.add(new Bad("div(NaN, 1)", "div", nan, () -> J.div(jet(nan), 0, jet(1), 0, out, 0)));
        l.add(new Bad("scaleComplex(a_0=2, 1+0.5i)", "scaleComplex", 2.0,
                () -> J.scaleComplex(jet(2), 0, 1, 0.5, out, 0)));
        l.add(new Bad("logPrime(-1)", "logPrime", -1.0, () -> J.logPrime(jet(-1), 0, jet(0), 0, out, 0)));
        l.add(new Bad("log1pPrime(-1)", "log1pPrime", -1.0, () -> J.log1pPrime(jet(-1), 0, jet(0), 0, out, 0)));
        l.add(new Bad("sqrtPrime(0)", "sqrtPrime", 0.0, () -> J.sqrtPrime(jet(0), 0, jet(0), 0, out, 0)));
        l.add(new Bad("rsqrtPrime(-2)", "rsqrtPrime", -2.0, () -> J.rsqrtPrime(jet(-2), 0, jet(1), 0, out, 0)));
        l.add(new Bad("reciprocalPrime(0)", "reciprocalPrime", 0.0,
                () -> J.reciprocalPrime(jet(0), 0, jet(1), 0, out, 0)));
        l.add(new Bad("powPrime(-3, 1.5)", "powPrime", -3.0, () -> J.powPrime(jet(-3), 0, 1.5, jet(1), 0, out, 0)));
        // RealMath applies the same rules.
        l.add(new Bad("RealMath.log(-0.5)", "log", -0.5, () -> RealMath.log(-0.5)));
        l.add(new Bad("RealMath.logPrime(0)", "log", 0.0, () -> RealMath.logPrime(0)));
        l.add(new Bad("RealMath.log1p(-1)", "log1p", -1.0, () -> RealMath.log1p(-1)));
        l.add(new Bad("RealMath.sqrt(-1)", "sqrt", -1.0, () -> RealMath.sqrt(-1)));
        l.add(new Bad("RealMath.sqrt(0)", "sqrt", 0.0, () -> RealMath.sqrt(0)));
        l.add(new Bad("RealMath.rsqrt(0)", "rsqrt", 0.0, () -> RealMath.rsqrt(0)));
        l.add(new Bad("RealMath.reciprocal(0)", "reciprocal", 0.0, () -> RealMath.reciprocal(0)));
        l.add(new Bad("RealMath.div(1, 0)", "div", 0.0, () -> RealMath.div(1, 0)));
        l.add(new Bad("RealMath.pow(-8, 1/3)", "pow", -8.0, () -> RealMath.pow(-8, 1.0 / 3)));
        l.add(new Bad("RealMath.pow(0, -1)", "pow", 0.0, () -> RealMath.pow(0, -1)));
        l.add(new Bad("RealMath.log(NaN)", "log", nan, () -> RealMath.log(nan)));
        return l;
    }

    static Stream<Arguments> badArguments() {
        return bad().stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badArguments")
    void throwsNamingOperationAndValue(Bad b) {
        JetDomainException e = assertThrows(JetDomainException.class, b.run());
        assertTrue(e.getMessage().startsWith(b.operation() + ": "), e.getMessage());
        assertTrue(e.getMessage().endsWith(", got " + b.value()), e.getMessage());
        assertEquals(b.operation(), e.operation());
        assertEquals(b.value(), e.value(), 0.0);
        assertTrue(e instanceof ArithmeticException);
    }

    @Test
    void messagesReadWell() {
        double[] out = new double[J.stride()];
        assertEquals("log: constant term must be > 0, got -0.5",
                assertThrows(JetDomainException.class, () -> J.log(jet(-0.5), 0, out, 0)).getMessage());
        assertEquals("log: constant term must be finite, got NaN",
                assertThrows(JetDomainException.class, () -> J.log(jet(Double.NaN), 0, out, 0)).getMessage());
        assertEquals("div: divisor's constant term must be nonzero, got 0.0",
                assertThrows(JetDomainException.class, () -> J.div(jet(1), 0, jet(0), 0, out, 0)).getMessage());
        assertEquals("pow: constant term must be > 0 for the non-integer exponent 0.5, got -1.0",
                assertThrows(JetDomainException.class, () -> J.pow(jet(-1), 0, 0.5, out, 0)).getMessage());
    }

    @Test
    void boundaryValuesInsideTheDomainAreFine() {
        double[] out = new double[J.stride()];
        J.pow(jet(0), 0, 3, out, 0);          // integer power of 0
        J.pow(jet(-2), 0, -3, out, 0);        // negative integer power of a negative value
        J.pow(jet(0), 0, 0, out, 0);          // 0^0 = 1
        assertEquals(1.0, out[0]);
        J.log1p(jet(-0.999), 0, out, 0);
        J.scaleComplex(jet(0), 0, 1, 0.5, out, 0); // a_0 = 0: the constant stays real
        J.scaleComplex(jet(3), 0, 2, 0.0, out, 0); // real factor
        assertEquals(6.0, out[0]);
        for (double v : out) assertTrue(Double.isFinite(v));
        assertEquals(0.0, RealMath.pow(0, 2));
        assertEquals(1.0, RealMath.pow(0, 0));
        assertEquals(-0.125, RealMath.pow(-2, -3));
    }

    @Test
    void constructorRejectsBadShapesNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Jets(-1, 1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Jets(Jets.MAX_DEGREE + 1, 1));
        assertTrue(e.getMessage().contains(String.valueOf(Jets.MAX_DEGREE + 1)), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Jets(3, 0));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
        assertEquals(1 + 2 * 128 * 4, new Jets(128, 4).stride());
        assertEquals(1, new Jets(0, 1).stride());
    }
}
