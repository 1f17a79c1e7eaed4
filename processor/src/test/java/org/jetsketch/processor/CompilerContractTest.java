package org.jetsketch.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * What the compiler promises beyond the subset: variable-arity helpers, a clean {@code -Xlint:all}
 * build, writes to the {@code @Grads} array, and a starting point fixed when the circuit is built.
 */
class CompilerContractTest {

    static final String VARARGS = """
            package t;

            import org.jetsketch.dsl.*;

            @Circuit
            class V {
                @Param double[] w = {0.5, -0.25, 1.0};

                @TrainingStep
                static void sgd(@Params double[] p, @Grads double[] g) {
                    for (int i = 0; i < p.length; i++) p[i] -= 0.1 * g[i];
                }

                @Loss
                double loss(double[] x) {
                    double zero = sumsq();
                    double one = sumsq(w[0]);
                    double two = sumsq(w[0] * x[0], w[1]);
                    double three = sumsq(w[0], w[1] * w[2], x[2]);
                    double array = sumsq(w) + sumsq(new double[] {x[1], w[2]});
                    double mixed = scaled(2.0) + scaled(0.5, w[1], x[0]) + scaled(3.0, w);
                    return zero + one + two + three + array + mixed + rows(w, new double[] {x[0], w[1]})
                            + count() + count(1, 2, 3);
                }

                static double sumsq(double... xs) {
                    double s = 0;
                    for (int i = 0; i < xs.length; i++) s += xs[i] * xs[i];
                    return s;
                }

                double scaled(double k, double... xs) {
                    return k * sumsq(xs);
                }

                static double rows(double[]... rs) {
                    double s = 0;
                    for (int r = 0; r < rs.length; r++) s += (r + 1) * rs[r][0] * rs[r][rs[r].length - 1];
                    return s;
                }

                static int count(int... xs) {
                    return xs.length;
                }
            }
            """;

    /** Varargs helpers, called with 0, 1, 2, 3 arguments and with an explicit array: plain Java is the oracle. */
    @Test
    void variableArityHelpersAgreeWithPlainJava() {
        Compilation c = Compile.compile(Compile.source(VARARGS));
        assertThat(c).succeededWithoutWarnings();
        ClassLoader loader = Compile.classes(c);
        CircuitRunner run = new CircuitRunner(loader, "t.V", CircuitRunner.construct(loader, "t.V", new Class<?>[0]));
        Random r = new Random(15);
        for (int trial = 0; trial < 3; trial++) {
            double[] theta = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
            double[] x = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
            double[] grad = new double[3];
            double plain = run.plainLoss(theta, x);
            assertThat(run.loss(theta, x, grad)).isWithin(1e-12 * Math.abs(plain)).of(plain);
            run.assertGradientMatchesDifferences(theta, x, grad, 1e-6, "trial " + trial);
        }
    }

    /** The DSL annotations are claimed: {@code -Xlint:all} (processing included) warns about nothing. */
    @Test
    void cleanUnderEveryLint() {
        Compilation c = Compile.assertNoCompilerFault(Compiler.javac().withProcessors(new CircuitProcessor())
                .withOptions("-Xlint:all", "-sourcepath", Compile.EMPTY_SOURCE_PATH)
                .compile(Compile.source(VARARGS)));
        assertThat(c).succeededWithoutWarnings();
        // another tool's @Generated is left to other processors, and so still reported unclaimed
        Compilation foreign = Compiler.javac().withProcessors(new CircuitProcessor())
                .withOptions("-Xlint:all", "-sourcepath", Compile.EMPTY_SOURCE_PATH)
                .compile(Compile.source(VARARGS), Compile.source("""
                        package t;

                        @javax.annotation.processing.Generated("another.Tool")
                        class Other {}
                        """));
        assertThat(foreign).hadWarningContaining("javax.annotation.processing.Generated");
    }

    static final String CLIPPED = """
            package t;

            import org.jetsketch.dsl.*;

            @Circuit
            class Clipped {
                static final double LIMIT = 0.5;

                @Param double[] w = {2.0, -3.0, 0.25};

                @Loss
                double loss(double[] x) {
                    double r = -x[3];
                    for (int j = 0; j < 3; j++) r += w[j] * x[j];
                    return 0.5 * r * r;
                }

                @TrainingStep
                static void clipped(@Params double[] p, @Grads double[] g) {
                    for (int i = 0; i < g.length; i++) {
                        if (g[i] > LIMIT) g[i] = LIMIT;
                        else if (g[i] < -LIMIT) g[i] = -LIMIT;
                        g[i] *= 0.5;
                    }
                    for (int i = 0; i < p.length; i++) p[i] -= g[i];
                }
            }
            """;

    /**
     * Gradient clipping writes the {@code @Grads} array: the writes are seen by the rest of the
     * step, and every step starts from a fresh gradient. The oracle is the user's class run as
     * plain Java on the least-squares gradient written out by hand.
     */
    @Test
    void writesToTheGradientArrayAreLocalToTheStep() throws Exception {
        Compilation c = Compile.compile(Compile.source(CLIPPED));
        assertThat(c).succeededWithoutWarnings();
        ClassLoader loader = Compile.classes(c);
        Object instance = CircuitRunner.construct(loader, "t.Clipped", new Class<?>[0]);
        CircuitRunner run = new CircuitRunner(loader, "t.Clipped", instance);
        Random r = new Random(17);
        List<Object> data = new ArrayList<>();
        for (int i = 0; i < 6; i++) data.add(new double[] {r.nextGaussian(), r.nextGaussian(), r.nextGaussian(), r.nextGaussian()});
        int steps = 25;
        double[] trained = new Trainer<>(run.circuit, Dataset.of(data), Schedule.fullBatch(data.size(), steps)).train(null);

        Method step = instance.getClass().getDeclaredMethod("clipped", double[].class, double[].class);
        step.setAccessible(true);
        double[] p = {2.0, -3.0, 0.25};
        int clippedSteps = 0;
        for (int s = 0; s < steps; s++) {
            double[] g = new double[3];
            for (Object example : data) {
                double[] x = (double[]) example;
                double res = p[0] * x[0] + p[1] * x[1] + p[2] * x[2] - x[3];
                for (int j = 0; j < 3; j++) g[j] += res * x[j] / data.size();
            }
            for (double gj : g) if (Math.abs(gj) > 0.5) clippedSteps++;
            step.invoke(null, p, g);
        }
        assertWithMessage("the clipping branch was taken").that(clippedSteps).isGreaterThan(0);
        for (int j = 0; j < 3; j++) assertWithMessage("w[%s]", j).that(trained[j]).isWithin(1e-12).of(p[j]);
    }

    /** initialParameters() is the instance's state when the circuit was built, not a live view. */
    @Test
    void initialParametersAreASnapshot() throws Exception {
        Compilation c = Compile.compile(Compile.source(CLIPPED));
        ClassLoader loader = Compile.classes(c);
        Object instance = CircuitRunner.construct(loader, "t.Clipped", new Class<?>[0]);
        CircuitRunner run = new CircuitRunner(loader, "t.Clipped", instance);
        Field w = instance.getClass().getDeclaredField("w");
        w.setAccessible(true);
        ((double[]) w.get(instance))[0] = 99.0;
        double[] first = run.circuit.initialParameters();
        assertThat(first).usingExactEquality().containsExactly(2.0, -3.0, 0.25).inOrder();
        w.set(instance, new double[] {7.0, 8.0, 9.0});
        first[1] = 42.0; // the caller's copy is its own
        assertThat(run.circuit.initialParameters()).usingExactEquality().containsExactly(2.0, -3.0, 0.25).inOrder();
    }
}
