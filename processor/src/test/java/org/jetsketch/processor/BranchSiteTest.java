package org.jetsketch.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.jet.Jets;
import org.jetsketch.circuit.BranchMonitor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The branch-switch hook in generated code: every kind of decision on an active value reports
 * the compared difference to the workspace's monitor with its source line. Along θ + t·v with a
 * degree-1 jet the difference is linear, so the radius is |d_0 / d_1| in closed form.
 */
class BranchSiteTest {
    static final double[] THETA = {0.8, -0.3};
    static final double[] V = {0.5, 2.0};
    static final double[] X = {0.2, 1.5};

    static String circuit(String expression) {
        return """
                package t;

                import org.jetsketch.dsl.*;

                @Circuit
                class B {
                    @Param double[] w = {0.8, -0.3};

                    @TrainingStep
                    static void sgd(@Params double[] p, @Grads double[] g) {
                        for (int i = 0; i < p.length; i++) p[i] -= 0.1 * g[i];
                    }

                    @Loss
                    double loss(double[] x) {
                        double y = w[0] * w[1];
                        return y + %s;
                    }
                }
                """.formatted(expression);
    }

    /** d_0 and d_1 of the decided difference as functions of θ, v and x: see each row. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "(w[0] > x[0] ? w[0] : 0.0);    0.6; 0.5",   // compareConst: w0 - x0
        "(x[0] < w[0] ? w[0] : 0.0);    0.6; 0.5",   // constCompare: x0 - w0
        "(2 * w[0] >= w[1] ? 1.0 : 0.0); 1.9; -1.0", // compare: 2 w0 - w1
        "Math.max(w[0], w[1]);           1.1; -1.5", // max: w0 - w1
        "Math.min(w[1], x[1]);          -1.8; 2.0",  // min with a passive operand: w1 - x1
        "Math.abs(w[0] - x[0]);          0.6; 0.5",  // abs: w0 - x0
        "Fn.relu(w[1] + x[1]);           1.2; 2.0",  // relu: w1 + x1
    })
    void everyDecisionReportsItsDifference(String expression, double d0, double d1) throws Exception {
        Compilation c = Compile.compile(Compile.source(circuit(expression)));
        assertThat(c).succeededWithoutWarnings();
        ClassLoader loader = Compile.classes(c);
        CircuitRunner run = new CircuitRunner(loader, "t.B", CircuitRunner.construct(loader, "t.B", new Class<?>[0]));
        CompiledCircuit<Object> circuit = run.circuit;
        BranchMonitor monitor = new BranchMonitor(new Jets(1, 1));
        run.jetLoss(THETA, V, X, 1, new double[2][2], monitor);
        assertWithMessage("radius of %s", expression).that(monitor.radius(0))
                .isWithin(1e-12).of(Math.abs(d0 / d1));
        assertThat(monitor.site(0)).isEqualTo(0);
        assertThat(circuit.branchSite(0)).isEqualTo("B.java:17");
        // the ordinary code decides as plain Java does
        assertThat(run.loss(THETA, X, null)).isWithin(1e-12).of(run.plainLoss(THETA, X));
    }

    static final String SHIFTED = """
            package t;

            import org.jetsketch.dsl.*;

            @Circuit
            class S {
                @Param double[] w = {0.8, -0.3, 1.1};

                @TrainingStep
                static void sgd(@Params double[] p, @Grads double[] g) {
                    for (int i = 0; i < p.length; i++) p[i] -= 0.1 * g[i];
                }

                @Loss
                double loss(double[] x) {
                    double[] l = new double[3];
                    for (int i = 0; i < 3; i++) l[i] = w[i] * x[i];
                    double m = SHIFT(l[0]);
                    for (int i = 1; i < 3; i++) m = Math.max(m, SHIFT(l[i]));
                    double sum = 0;
                    for (int i = 0; i < 3; i++) sum += Math.exp(l[i] - m);
                    return m + Math.log(sum) - l[1];
                }
            }
            """;

    /**
     * A softmax cross-entropy whose max shift is {@code Fn.stopGradient}: no branch site is left,
     * and the loss jets (values, derivatives along a direction up to degree 4, and their adjoints)
     * are those of the shift taken as an active max, to rounding — the shift cancels.
     */
    @Test
    void stopGradientShiftChangesTheJetsOnlyByRounding() {
        double[] theta = {0.8, -0.3, 1.1};
        double[] v = {0.7, -1.2, 0.4};
        double[] x = {1.5, 2.0, -0.5};
        double[][] with = new double[5][3];
        double[][] without = new double[5][3];
        double[] shifted = jetLoss(SHIFTED.replace("SHIFT(", "Fn.stopGradient("), theta, v, x, with, true);
        double[] active = jetLoss(SHIFTED.replace("SHIFT(", "("), theta, v, x, without, false);
        for (int r = 0; r <= 4; r++) {
            assertWithMessage("loss coefficient %s", r).that(shifted[r]).isWithin(1e-13).of(active[r]);
            for (int p = 0; p < 3; p++) {
                assertWithMessage("adjoint coefficient %s of w[%s]", r, p).that(with[r][p]).isWithin(1e-13)
                        .of(without[r][p]);
            }
        }
        assertThat(Math.abs(active[2])).isGreaterThan(1e-3); // not trivially zero
    }

    private static double[] jetLoss(String source, double[] theta, double[] v, double[] x, double[][] adjoint,
            boolean expectNoSites) {
        Compilation c = Compile.compile(Compile.source(source));
        assertThat(c).succeededWithoutWarnings();
        String generated = c.generatedSourceFile("t.S_Circuit").orElseThrow().toString();
        ClassLoader loader = Compile.classes(c);
        CircuitRunner run = new CircuitRunner(loader, "t.S", CircuitRunner.construct(loader, "t.S", new Class<?>[0]));
        try {
            String text = c.generatedSourceFile("t.S_Circuit").orElseThrow().getCharContent(true).toString();
            assertWithMessage("branch sites in %s", generated).that(text.contains("BRANCH_SITES")).isEqualTo(!expectNoSites);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return run.jetLoss(theta, v, x, 4, adjoint);
    }
}
