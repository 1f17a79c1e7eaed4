package org.jetsketch.processor.codegen;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.util.ArrayList;
import java.util.List;
import org.jetsketch.processor.ir.Stmt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The elementwise-loop pass on its own, on the normalised IR of a training step: which loops may
 * run in chunks with unchecked operations, and what the chunked loop saves and verifies.
 */
class ElementwiseLoopsTest {

    /** The loops of a training step with arrays p, g, m, v, d, an int array k and scalars s, n, in order: their verdicts. */
    private static List<ElementwiseLoops.Loop> loops(String body) {
        IrFixture f = IrFixture.ofSource("""
                package t;

                import org.jetsketch.dsl.*;

                @Circuit
                class C {
                    @Param double[] w = {0.5, -0.25, 1.5};

                    @Loss
                    double loss(double[] x) { return w[0] * x[0]; }

                    @TrainingStep
                    static void step(@Params double[] p, @Grads double[] g, @State double[] m, @State double[] v,
                            @State double[] d, @Step int step, @Steps int steps) {
                        double s = 1.0 - Math.pow(0.9, step + 1);
                        int n = p.length;
                        int[] k = new int[n];
                %s
                    }
                }
                """.formatted(body.indent(8)));
        String key = f.method("step").key();
        Facts facts = f.plan.facts.get(key);
        Shapes shapes = f.plan.shapes.get(key);
        Operations ops = new Operations(facts);
        List<ElementwiseLoops.Loop> out = new ArrayList<>();
        Plan.walk(f.plan.bodies.get(key), s -> {
            if (s instanceof Stmt.For loop) out.add(ElementwiseLoops.qualify(loop, shapes.canonical(loop), facts, ops));
        }, e -> { });
        return out;
    }

    private static ElementwiseLoops.Loop only(String body) {
        List<ElementwiseLoops.Loop> all = loops(body);
        assertWithMessage("loops in %s", body).that(all).hasSize(1);
        return all.get(0);
    }

    @Test
    void anAdamUpdateQualifiesAndSavesWhatItWrites() {
        ElementwiseLoops.Loop loop = only("""
                for (int i = 0; i < p.length; i++) {
                    m[i] = 0.85 * m[i] + 0.15 * g[i];
                    v[i] = 0.99 * v[i] + 0.01 * g[i] * g[i];
                    double mHat = m[i] / s;
                    double vHat = v[i] / s;
                    p[i] -= 0.01 * mHat / Math.sqrt(vHat + 1e-3) / d[i];
                }
                """);
        assertThat(loop).isNotNull();
        assertThat(loop.variable()).isEqualTo("i");
        assertThat(loop.written()).containsExactly("m", "v", "p").inOrder();
        assertThat(loop.arrays()).containsExactly("m", "g", "v", "p", "d");
        assertThat(loop.verified()).isEqualTo("p");
    }

    @Test
    void aReadOnlyIntArrayAndBodyLocalIntsQualify() {
        ElementwiseLoops.Loop loop = only("""
                for (int i = 1; i < n - 1; i++) {
                    int h = k[i] * 2;
                    p[i] = p[i] - g[i] / (d[i] + h);
                }
                """);
        assertThat(loop).isNotNull();
        assertThat(loop.arrays()).containsExactly("p", "g", "d", "k");
        assertThat(loop.written()).containsExactly("p");
    }

    /** Loops written exactly as before: each breaks one condition of the pass. */
    @ParameterizedTest
    @ValueSource(strings = {
        // no checked operation: nothing to gain
        "for (int i = 0; i < p.length; i++) p[i] -= 0.1 * g[i];",
        // a checked result that does not reach the last store (a later store could overwrite it through an alias)
        "for (int i = 0; i < p.length; i++) { m[i] = g[i] / d[i]; p[i] = 0.5 * p[i]; }",
        // through exp, whose e^(-inf) is 0: a violation would not show
        "for (int i = 0; i < p.length; i++) p[i] = Math.exp(-(g[i] / d[i]));",
        // through max, which drops a NaN
        "for (int i = 0; i < p.length; i++) p[i] = Math.max(g[i] / d[i], 0.0);",
        // a row without an unchecked form (pow's domain depends on the exponent)
        "for (int i = 0; i < p.length; i++) p[i] = Math.pow(g[i], 1.5) / d[i];",
        // a scalar declared outside the body is assigned in it
        "double t = 0.0; for (int i = 0; i < p.length; i++) { t = g[i] / d[i]; p[i] = t; }",
        // an element other than [i]
        "for (int i = 0; i < p.length - 1; i++) p[i] = g[i + 1] / d[i];",
        // a branch
        "for (int i = 0; i < p.length; i++) { if (g[i] > 0) p[i] = g[i] / d[i]; }",
        // integer division may throw in the unchecked run
        "for (int i = 0; i < p.length; i++) p[i] = g[i] / d[i] + n / (i + 1);",
        // a conditional
        "for (int i = 0; i < p.length; i++) p[i] = g[i] > 0 ? g[i] / d[i] : 0.0;",
        // a downward loop
        "for (int i = p.length - 1; i >= 0; i--) p[i] = g[i] / d[i];",
        // a bound the body could change
        "for (int i = 0; i < k[0]; i++) p[i] = g[i] / d[i];",
        // an int array written
        "for (int i = 0; i < p.length; i++) { k[i] = i; p[i] = g[i] / d[i]; }",
    })
    void loopsThatDoNotQualify(String body) {
        assertWithMessage("%s", body).that(only(body)).isNull();
    }

    @Test
    void aCheckedResultKeptInABodyLocalReachesTheStore() {
        // log's unchecked form is Math.log itself: not finite at 0 and below
        assertThat(only("""
                for (int i = 0; i < p.length; i++) {
                    double l = Math.log(d[i]);
                    double r = 1.0 / Math.sqrt(g[i] * g[i] + 1.0);
                    p[i] = p[i] + l * r;
                }
                """)).isNotNull();
        // the local is overwritten before the store: the checked result no longer reaches it
        assertThat(only("""
                for (int i = 0; i < p.length; i++) {
                    double l = Math.log(d[i]);
                    l = g[i];
                    p[i] = p[i] + l;
                }
                """)).isNull();
    }
}
