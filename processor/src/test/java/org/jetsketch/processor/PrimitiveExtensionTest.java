package org.jetsketch.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.jetsketch.processor.primitives.Functions;
import org.jetsketch.processor.primitives.Primitive;
import org.junit.jupiter.api.Test;

/**
 * Adding a primitive touches its function, its row and its kernels, nothing else: the test
 * sources add SINH for {@code extension.Hyperbolic.sinh} through the registry's extension point
 * ({@code extension.HyperbolicPrimitives}, listed in {@code META-INF/services}), with its real
 * and jet kernels in {@code extension.HyperbolicKernels}, and HYPOT for the two-argument
 * {@code extension.Plane.hypot} ({@code extension.PlanePrimitives}). A circuit calling them
 * (HYPOT with both operands active and with one passive) compiles without
 * warnings, and what it computes agrees with independent oracles: the loss with the class run as
 * plain Java, the gradient with central differences, and the loss and adjoint jets along a line
 * with Commons Math's {@link DerivativeStructure}; the jets' real parts equal the ordinary path bit
 * for bit.
 */
class PrimitiveExtensionTest {
    static final String SOURCE = """
            package t;

            import org.jetsketch.dsl.*;
            import org.jetsketch.processor.extension.Hyperbolic;
            import org.jetsketch.processor.extension.Plane;

            @Circuit
            class S {
                @Param double[] w = {0.4, -0.7};

                @TrainingStep
                static void sgd(@Params double[] p, @Grads double[] g) {
                    for (int i = 0; i < p.length; i++) p[i] -= 0.1 * g[i];
                }

                @Loss
                double loss(double[] x) {
                    double s = Hyperbolic.sinh(w[0] * x[0] + w[1]);
                    return s * s + Hyperbolic.sinh(w[1] * x[1]) + Hyperbolic.sinh(x[0]) * w[0]
                            + Plane.hypot(w[0], w[1] * x[1]) + Plane.hypot(x[0], w[1]);
                }
            }
            """;
    static final double[] THETA = {0.4, -0.7};
    static final double[] V = {0.5, -1.5};
    static final double[] X = {1.3, 0.8};
    static final int DEGREE = 3;

    @Test
    void theProvidedRowIsInTheRegistryAndTheVocabulary() {
        Primitive sinh = Primitive.valueOf("SINH");
        assertThat(Primitive.values()).contains(sinh);
        assertThat(Primitive.builtIns()).doesNotContain(sinh);
        assertThat(Primitive.forFunction("org.jetsketch.processor.extension.Hyperbolic", "sinh")).isSameInstanceAs(sinh);
        assertThat(Functions.ownerKey("org.jetsketch.processor.extension.Hyperbolic"))
                .isEqualTo("org.jetsketch.processor.extension.Hyperbolic");
        Primitive hypot = Primitive.forFunction("org.jetsketch.processor.extension.Plane", "hypot");
        assertThat(hypot.name()).isEqualTo("HYPOT");
        assertThat(hypot.arity).isEqualTo(2);
    }

    @Test
    void aCircuitCallingItCompilesAndAgreesWithTheOracles() throws IOException {
        Compilation c = Compile.compile(Compile.source(SOURCE));
        assertThat(c).succeededWithoutWarnings();
        String generated = c.generatedSourceFile("t.S_Circuit").orElseThrow().getCharContent(true).toString();
        assertThat(generated).contains("SINH, HYPOT");
        assertThat(generated).contains("org.jetsketch.processor.extension.PlaneKernels.hypot(jets, ");
        assertThat(generated).contains("org.jetsketch.processor.extension.HyperbolicKernels.sinh(jets, ");
        assertThat(generated).contains("org.jetsketch.processor.extension.HyperbolicKernels.sinhPrime(jets, ");
        // the passive call keeps its class
        assertThat(generated).contains("org.jetsketch.processor.extension.Hyperbolic.sinh(x[0])");

        ClassLoader loader = Compile.classes(c);
        CircuitRunner run = new CircuitRunner(loader, "t.S", CircuitRunner.construct(loader, "t.S", new Class<?>[0]));

        // ordinary path: the plain loss, and the gradient against central differences
        double plain = run.plainLoss(THETA, X);
        double[] grad = new double[2];
        double loss = run.loss(THETA, X, grad);
        assertThat(loss).isWithin(1e-14 * Math.abs(plain)).of(plain);
        for (int p = 0; p < 2; p++) {
            double h = 1e-6;
            double[] plus = THETA.clone();
            double[] minus = THETA.clone();
            plus[p] += h;
            minus[p] -= h;
            double fd = (run.plainLoss(plus, X) - run.plainLoss(minus, X)) / (2 * h);
            assertWithMessage("gradient %s", p).that(grad[p]).isWithin(1e-7 * Math.max(1, Math.abs(fd))).of(fd);
        }

        // jets along θ + t v against DerivativeStructure in (t, e0, e1), w_p = θ_p + v_p t + e_p
        double[][] adjoint = new double[DEGREE + 1][2];
        double[] coefficients = run.jetLoss(THETA, V, X, DEGREE, adjoint);
        DerivativeStructure t = new DerivativeStructure(3, DEGREE + 1, 0, 0.0);
        DerivativeStructure w0 = t.multiply(V[0]).add(new DerivativeStructure(3, DEGREE + 1, 1, THETA[0]));
        DerivativeStructure w1 = t.multiply(V[1]).add(new DerivativeStructure(3, DEGREE + 1, 2, THETA[1]));
        DerivativeStructure s = w0.multiply(X[0]).add(w1).sinh();
        DerivativeStructure f = s.multiply(s).add(w1.multiply(X[1]).sinh()).add(w0.multiply(Math.sinh(X[0])))
                .add(DerivativeStructure.hypot(w0, w1.multiply(X[1])))
                .add(DerivativeStructure.hypot(new DerivativeStructure(3, DEGREE + 1, X[0]), w1));
        double factorial = 1;
        for (int r = 0; r <= DEGREE; r++) {
            if (r > 0) factorial *= r;
            double want = f.getPartialDerivative(r, 0, 0) / factorial;
            assertWithMessage("loss coefficient %s", r).that(coefficients[r])
                    .isWithin(1e-12 * Math.max(1, Math.abs(want))).of(want);
            for (int p = 0; p < 2; p++) {
                double gradient = f.getPartialDerivative(r, p == 0 ? 1 : 0, p == 1 ? 1 : 0) / factorial;
                assertWithMessage("adjoint coefficient %s of parameter %s", r, p).that(adjoint[r][p])
                        .isWithin(1e-12 * Math.max(1, Math.abs(gradient))).of(gradient);
            }
        }
        // the real parts are the ordinary path's values, bit for bit
        assertThat(coefficients[0]).isEqualTo(loss);
        assertThat(adjoint[0][0]).isEqualTo(grad[0]);
        assertThat(adjoint[0][1]).isEqualTo(grad[1]);
    }
}
