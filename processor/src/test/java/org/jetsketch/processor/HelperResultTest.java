package org.jetsketch.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.jet.Jets;
import org.jetsketch.circuit.BranchMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Helpers whose result is passive (a boolean, an int, a double that does not depend on the
 * parameters) but comes from comparisons on active values. Their result is a plain Java variable
 * in both the ordinary and the jet code (never a jet slot), their comparisons reach the branch
 * monitor at the helper's line, and the code they are part of agrees with the class run as plain
 * Java: the loss, its gradient against central finite differences, and degree-2 jets along a
 * direction against the gradient and a second difference.
 */
class HelperResultTest {
    static final double[] THETA = {0.8, -0.3};
    static final double[] V = {0.5, 2.0};
    static final double[] X = {0.2, 1.5};
    /** The line of the helpers in {@link #circuit}: every decision of these circuits is there. */
    static final String HELPER_SITE = "H.java:20";

    static String circuit(String body, String helpers) {
        return """
                package t;

                import org.jetsketch.dsl.*;

                @Circuit
                class H {
                    @Param double[] w = {0.8, -0.3};

                    @TrainingStep
                    static void sgd(@Params double[] p, @Grads double[] g) {
                        for (int i = 0; i < p.length; i++) p[i] -= 0.1 * g[i];
                    }

                    @Loss
                    double loss(double[] x) {
                        double y = w[0] * w[1];
                        %s
                    }

                    %s
                }
                """.formatted(body, helpers);
    }

    /**
     * Along θ + t·v with a degree-1 jet the nearest decision's difference is d0 + d1 t (w0 = 0.8 +
     * 0.5 t, w1 = −0.3 + 2 t, x = (0.2, 1.5)): see each row.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " ~ ", value = {
        // the case: a boolean helper as the condition of an if; d = w0 - x0
        "if (positive(w[0] - x[0])) return y * y; return 0.5 * y;"
                + " ~ boolean positive(double v) { return v > 0; } ~ 0.6 ~ 0.5",
        // its smooth variant: both branches the same function
        "if (positive(w[0] - x[0])) return y * y + 0.0 * y; return y * y;"
                + " ~ boolean positive(double v) { return v > 0; } ~ 0.6 ~ 0.5",
        // the boolean stored in a local before the if; d = w1 - x1
        "boolean up = above(w[1], x[1]); double r = y; if (up) r = 2 * y; return r;"
                + " ~ boolean above(double v, double limit) { return v > limit; } ~ -1.8 ~ 2.0",
        // an int count of active entries: w0 - 0.5 (radius 0.6) and w1 - 0.5 (radius 0.4, the nearest)
        "int k = countAbove(w, 0.5); return k * y + y;"
                + " ~ int countAbove(double[] v, double c) { int n = 0; for (int j = 0; j < v.length; j++) if (v[j] > c) n++;"
                + " return n; } ~ -0.8 ~ 2.0",
        // an int sign in arithmetic: d = w0 w1 + x0 (its t² term is beyond degree 1)
        "return sign(w[0] * w[1] + x[0]) * y;"
                + " ~ int sign(double v) { if (v > 0) return 1; if (v < 0) return -1; return 0; } ~ -0.04 ~ 1.45",
        // && inside the helper: a = w0 (radius 1.6), then b = w1 + x1 (radius 0.6)
        "if (both(w[0], w[1] + x[1])) return y * y; return y;"
                + " ~ boolean both(double a, double b) { return a > 0 && b > 0; } ~ 1.2 ~ 2.0",
        // a boolean helper calling a boolean helper; || stops after the first (d = w0 - x0)
        "if (either(w[0] - x[0], w[1])) return y * y; return y;"
                + " ~ boolean either(double a, double b) { return positive(a) || positive(b); }"
                + " boolean positive(double v) { return v > 0; } ~ 0.6 ~ 0.5",
        // a passive double result; d = w1 - x0
        "return step(w[1] - x[0]) * y + y;"
                + " ~ double step(double v) { return v > 0 ? 1.0 : 0.0; } ~ -0.5 ~ 2.0",
    })
    void passiveHelperResultsWorkOnBothPaths(String body, String helpers, double d0, double d1) throws IOException {
        Compilation c = Compile.compile(Compile.source(circuit(body, helpers)));
        assertThat(c).succeededWithoutWarnings();
        String generated = c.generatedSourceFile("t.H_Circuit").orElseThrow().getCharContent(true).toString();
        assertNoPassiveSlot(generated);

        ClassLoader loader = Compile.classes(c);
        CircuitRunner run = new CircuitRunner(loader, "t.H", CircuitRunner.construct(loader, "t.H", new Class<?>[0]));
        CompiledCircuit<Object> circuit = run.circuit;

        // the monitor: the nearest decision's radius, at the helper's line
        BranchMonitor monitor = new BranchMonitor(new Jets(1, 1));
        run.jetLoss(THETA, V, X, 1, new double[2][2], monitor);
        assertWithMessage("radius of %s", body).that(monitor.radius(0)).isWithin(1e-12).of(Math.abs(d0 / d1));
        assertThat(circuit.branchSite(monitor.site(0))).isEqualTo(HELPER_SITE);

        // the ordinary code: the plain loss, and its gradient against central differences
        double plain = run.plainLoss(THETA, X);
        double[] grad = new double[2];
        assertThat(run.loss(THETA, X, grad)).isWithin(1e-14).of(plain);
        double h = 1e-6;
        for (int p = 0; p < 2; p++) {
            double[] plus = THETA.clone();
            double[] minus = THETA.clone();
            plus[p] += h;
            minus[p] -= h;
            double fd = (run.plainLoss(plus, X) - run.plainLoss(minus, X)) / (2 * h);
            assertWithMessage("gradient %s of %s", p, body).that(grad[p]).isWithin(1e-8).of(fd);
        }
        assertWithMessage("a nonzero gradient").that(Math.abs(grad[0]) + Math.abs(grad[1])).isGreaterThan(0.01);

        // the jet code: f(θ + t v) = c0 + c1 t + c2 t² with c1 = ∇f·v, c2 from a second difference
        double[][] adjoint = new double[3][2];
        double[] jet = run.jetLoss(THETA, V, X, 2, adjoint);
        assertThat(jet[0]).isWithin(1e-14).of(plain);
        assertThat(jet[1]).isWithin(1e-12).of(grad[0] * V[0] + grad[1] * V[1]);
        double s = 1e-3;
        double second = (run.plainLoss(axpy(s), X) - 2 * plain + run.plainLoss(axpy(-s), X)) / (2 * s * s);
        assertWithMessage("second coefficient of %s", body).that(jet[2]).isWithin(1e-5).of(second);
        for (int p = 0; p < 2; p++) assertThat(adjoint[0][p]).isWithin(1e-12).of(grad[p]);
    }

    /** A measurement that decides through a boolean and an int helper, in the ordinary and the jet code. */
    @Test
    void measurementCallsPassiveHelpers() throws IOException {
        String source = circuit("return y * y;", """
                boolean positive(double v) { return v > 0; }
                    int sign(double v) { if (v > 0) return 1; if (v < 0) return -1; return 0; }

                    @Measurement
                    double signed(double[] x) {
                        boolean up = positive(w[0] - x[0]);
                        if (up) return sign(w[1]) * w[0];
                        return w[1];
                    }""");
        Compilation c = Compile.compile(Compile.source(source));
        assertThat(c).succeededWithoutWarnings();
        assertNoPassiveSlot(c.generatedSourceFile("t.H_Circuit").orElseThrow().getCharContent(true).toString());
        ClassLoader loader = Compile.classes(c);
        CircuitRunner run = new CircuitRunner(loader, "t.H", CircuitRunner.construct(loader, "t.H", new Class<?>[0]));
        for (double[] x : new double[][] {X, {0.9, 0.0}}) {
            double plain = (double) run.plain(THETA, "signed", (Object) x);
            assertWithMessage("ordinary measurement at x = %s", x[0]).that(run.measure(THETA, "signed", (Object) x))
                    .isWithin(1e-15).of(plain);
        }
        assertThat((double) run.plain(THETA, "signed", (Object) X)).isWithin(1e-15).of(-0.8);
        assertThat((double) run.plain(THETA, "signed", (Object) new double[] {0.9, 0.0})).isWithin(1e-15).of(-0.3);
    }

    /**
     * The defect's signature: a helper's passive result written as if it were a jet
     * ({@code val, value3 = this.positiveForward(...)}), or a variable that is both a jet slot
     * ({@code final int value3 = 4 * S;}) and a boolean or int local of the same method.
     */
    static void assertNoPassiveSlot(String generated) {
        assertWithMessage("a passive result assigned as a jet in\n%s", generated)
                .that(generated).doesNotContainMatch("val, \\w+ = this\\.");
        for (String method : generated.split("\n    (?=(?:private|public|@Override))")) {
            Set<String> slots = new HashSet<>();
            Matcher slot = Pattern.compile("final int (\\w+) = \\d+ \\* S;").matcher(method);
            while (slot.find()) slots.add(slot.group(1));
            Matcher passive = Pattern.compile("(?<!final )\\b(?:boolean|int) (\\w+)[ ;=]").matcher(method);
            while (passive.find()) {
                assertWithMessage("%s is a jet slot and a passive local in\n%s", passive.group(1), method)
                        .that(slots).doesNotContain(passive.group(1));
            }
        }
    }

    private static double[] axpy(double t) {
        return new double[] {THETA[0] + t * V[0], THETA[1] + t * V[1]};
    }
}
