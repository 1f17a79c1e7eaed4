package org.jetsketch.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import java.lang.reflect.Method;
import java.util.Random;
import java.util.function.Consumer;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.circuit.RealWorkspace;
import org.jetsketch.jet.RealMath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An Adam-like training step over 1,000 parameters, whose loop the processor runs in chunks with
 * unchecked divisions and square roots ({@code codegen.ElementwiseLoops}), against the same step
 * written as plain Java with the checked {@link RealMath} functions: the same bits where nothing
 * is wrong; the same {@code JetDomainException} and the same arrays (elements before the bad one
 * updated, the rest untouched) at a domain error anywhere in a chunk; the same bits, without an
 * exception, for an overflow or a NaN that violates no domain; the same exception for an array
 * too short.
 */
class ElementwiseStepTest {
    private static final int N = 1000;

    private static final String SOURCE = """
            package t;

            import org.jetsketch.dsl.*;

            @Circuit
            class E {
                static final double B1 = 0.85;
                static final double B2 = 0.99;
                static final double EPS = 1e-3;
                static final double LR = 0.01;

                @Param double[] w = new double[1000];

                @Loss
                double loss(double[] x) { return w[0] * x[0]; }

                @TrainingStep
                static void adam(@Params double[] p, @Grads double[] g, @State double[] m, @State double[] v,
                        @State double[] d, @Step int step, @Steps int steps) {
                    double lr = LR * (1.0 - (double) step / (double) steps);
                    double bias1 = 1.0 - Math.pow(B1, step + 1);
                    double bias2 = 1.0 - Math.pow(B2, step + 1);
                    for (int i = 0; i < p.length; i++) {
                        m[i] = B1 * m[i] + (1.0 - B1) * g[i];
                        v[i] = B2 * v[i] + (1.0 - B2) * g[i] * g[i];
                        double mHat = m[i] / bias1;
                        double vHat = v[i] / bias2;
                        p[i] -= lr * mHat / Math.sqrt(vHat + EPS) / d[i];
                    }
                }
            }
            """;

    private static final int STEP = 3;
    private static final int STEPS = 10;

    private static Compilation compilation;
    private static CompiledCircuit<Object> circuit;
    private static Method plain;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void compile() throws ReflectiveOperationException {
        compilation = Compile.compile(Compile.source(SOURCE));
        assertThat(compilation).succeededWithoutWarnings();
        ClassLoader loader = Compile.classes(compilation);
        Object instance = CircuitRunner.construct(loader, "t.E", new Class<?>[0]);
        circuit = (CompiledCircuit<Object>) loader.loadClass("t.E_Circuit").getConstructor(instance.getClass())
                .newInstance(instance);
        plain = loader.loadClass("t.E").getDeclaredMethod("adam", double[].class, double[].class, double[].class,
                double[].class, double[].class, int.class, int.class);
        plain.setAccessible(true);
    }

    /** The step as plain Java with the checked functions, in the order the source writes its operations. */
    static void checkedAdam(double[] p, double[] g, double[] m, double[] v, double[] d, int step, int steps) {
        double lr = 0.01 * (1.0 - (double) step / (double) steps);
        double bias1 = 1.0 - Math.pow(0.85, step + 1);
        double bias2 = 1.0 - Math.pow(0.99, step + 1);
        for (int i = 0; i < p.length; i++) {
            m[i] = 0.85 * m[i] + (1.0 - 0.85) * g[i];
            v[i] = 0.99 * v[i] + (1.0 - 0.99) * g[i] * g[i];
            double mHat = RealMath.div(m[i], bias1);
            double vHat = RealMath.div(v[i], bias2);
            p[i] = p[i] - RealMath.div(RealMath.div(lr * mHat, RealMath.sqrt(vHat + 1e-3)), d[i]);
        }
    }

    /** Parameters, gradients and the three state arrays m, v, d of a step in the domain everywhere. */
    private static double[][] arrays(long seed) {
        Random r = new Random(seed);
        double[][] a = new double[5][N];
        for (int i = 0; i < N; i++) {
            a[0][i] = r.nextGaussian();
            a[1][i] = r.nextGaussian() * (i % 7 == 0 ? 1e-200 : 1.0);
            a[2][i] = 0.1 * r.nextGaussian();
            a[3][i] = r.nextDouble() * (i % 11 == 0 ? 0.0 : 1.0);
            a[4][i] = (r.nextBoolean() ? 1 : -1) * (0.5 + r.nextDouble());
        }
        a[1][17] = -0.0;
        a[0][18] = -0.0;
        return a;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) c[i] = a[i].clone();
        return c;
    }

    /** The generated step on {@code a} (p, g, m, v, d), in place; the exception it throws, or null. */
    private static RuntimeException generated(double[][] a) {
        RealWorkspace ws = circuit.newRealWorkspace();
        try {
            circuit.step(ws, a[0], a[1], new double[][] {a[2], a[3], a[4]}, STEP, STEPS);
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    /** The checked oracle on {@code a}, in place; the exception it throws, or null. */
    private static RuntimeException oracle(double[][] a) {
        try {
            checkedAdam(a[0], a[1], a[2], a[3], a[4], STEP, STEPS);
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static void assertSameBits(double[][] expected, double[][] actual, String what) {
        String[] names = {"p", "g", "m", "v", "d"};
        for (int k = 0; k < expected.length; k++) {
            assertWithMessage("%s: length of %s", what, names[k]).that(actual[k].length).isEqualTo(expected[k].length);
            for (int i = 0; i < expected[k].length; i++) {
                long e = Double.doubleToRawLongBits(expected[k][i]);
                long a = Double.doubleToRawLongBits(actual[k][i]);
                if (e != a) {
                    assertWithMessage("%s: %s[%s] is %s, the checked step gives %s", what, names[k], i, actual[k][i],
                            expected[k][i]).fail();
                }
            }
        }
    }

    /** Runs both on copies of {@code a}: the same exception (class and message) or none, and the same arrays. */
    private static RuntimeException assertLikeTheCheckedStep(double[][] a, String what) {
        double[][] expected = copy(a);
        double[][] actual = copy(a);
        RuntimeException want = oracle(expected);
        RuntimeException got = generated(actual);
        if (want == null) {
            assertWithMessage("%s: the generated step throws %s", what, got).that(got).isNull();
        } else {
            assertWithMessage("%s: exception", what).that(got).isNotNull();
            assertWithMessage("%s: exception class", what).that(got.getClass()).isEqualTo(want.getClass());
            assertWithMessage("%s: message", what).that(got.getMessage()).isEqualTo(want.getMessage());
        }
        assertSameBits(expected, actual, what);
        return want;
    }

    @Test
    void theStepRunsInCheckedChunks() {
        String source;
        try {
            source = compilation.generatedSourceFile("t.E_Circuit").orElseThrow().getCharContent(true).toString();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(source).contains("ElementwiseChunks.allFinite(p, ");
        assertThat(source).contains("RealMath.div(");
        assertThat(source).contains("Math.sqrt(");
    }

    @Test
    void inTheDomainTheStepIsTheCheckedStepAndThePlainOneBitForBit() throws ReflectiveOperationException {
        for (long seed = 1; seed <= 3; seed++) {
            double[][] a = arrays(seed);
            assertThat(assertLikeTheCheckedStep(a, "seed " + seed)).isNull();
            // the user's plain Java (/ and Math.sqrt) agrees where no domain is violated
            double[][] expected = copy(a);
            plain.invoke(null, expected[0], expected[1], expected[2], expected[3], expected[4], STEP, STEPS);
            double[][] actual = copy(a);
            assertThat(generated(actual)).isNull();
            assertSameBits(expected, actual, "plain Java, seed " + seed);
        }
    }

    /** Element {@code at} made to violate a domain, at the edges of chunks (of 256) and inside one. */
    @ParameterizedTest
    @ValueSource(ints = {0, 255, 256, 300, 511, 999})
    void aDomainErrorThrowsWhereTheCheckedStepThrowsAndLeavesTheSameArrays(int at) {
        record Violation(String name, Consumer<double[][]> apply, String message) {}
        Violation[] violations = {
            new Violation("zero divisor", a -> a[4][at] = 0.0, "divisor's constant term must be nonzero"),
            new Violation("negative zero divisor", a -> a[4][at] = -0.0, "divisor's constant term must be nonzero"),
            new Violation("infinite divisor", a -> a[4][at] = Double.NEGATIVE_INFINITY, "divisor's constant term must be finite"),
            new Violation("negative square root", a -> a[3][at] = -50.0, "constant term must be > 0"),
            new Violation("NaN gradient", a -> a[1][at] = Double.NaN, "dividend's constant term must be finite"),
            new Violation("infinite moment", a -> a[2][at] = Double.POSITIVE_INFINITY, "dividend's constant term must be finite"),
        };
        for (Violation violation : violations) {
            double[][] a = arrays(at);
            violation.apply().accept(a);
            // a second violation later in the same chunk and in a later one: the first one throws
            if (at + 3 < N) a[4][at + 3] = 0.0;
            if (at + 400 < N) a[3][at + 400] = -1.0;
            String what = violation.name() + " at " + at;
            RuntimeException thrown = assertLikeTheCheckedStep(a, what);
            assertWithMessage("%s throws", what).that(thrown).isNotNull();
            assertWithMessage("%s", what).that(thrown.getClass().getSimpleName()).isEqualTo("JetDomainException");
            assertWithMessage("%s", what).that(thrown.getMessage()).contains(violation.message());
        }
    }

    @Test
    void anOverflowOrANaNThatViolatesNoDomainGivesTheCheckedBitsWithoutThrowing() {
        double[][] a = arrays(7);
        a[4][300] = Double.MIN_VALUE;      // the quotient overflows: -inf, no domain error
        a[4][301] = -Double.MIN_VALUE;
        a[0][302] = Double.NaN;            // p is no operand of a checked function: NaN stays NaN
        a[0][303] = Double.POSITIVE_INFINITY;
        a[1][700] = 1e200;                 // g² overflows: v is inf, and dividing it by bias2 throws
        double[][] b = copy(a);
        b[1][700] = 0.5;
        assertThat(assertLikeTheCheckedStep(a, "overflow into v")).isNotNull();
        assertThat(assertLikeTheCheckedStep(b, "overflow and NaN without a domain error")).isNull();
        double[][] after = copy(b);
        generated(after);
        assertWithMessage("p[300] after an overflow: %s", after[0][300]).that(Double.isInfinite(after[0][300])).isTrue();
        assertThat(after[0][302]).isNaN();
    }

    @Test
    void anArrayTooShortThrowsWhereTheCheckedStepThrows() {
        double[][] a = arrays(11);
        a[4] = java.util.Arrays.copyOf(a[4], 700);
        RuntimeException thrown = assertLikeTheCheckedStep(a, "d of length 700");
        assertThat(thrown).isInstanceOf(ArrayIndexOutOfBoundsException.class);
        double[][] b = arrays(12);
        b[2] = java.util.Arrays.copyOf(b[2], 257);
        assertThat(assertLikeTheCheckedStep(b, "m of length 257")).isInstanceOf(ArrayIndexOutOfBoundsException.class);
    }
}
