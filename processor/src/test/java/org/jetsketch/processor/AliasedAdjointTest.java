package org.jetsketch.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An element's adjoint that another array's adjoint aliases: {@code a11[i] += a13[k] - p0} with
 * {@code a13 == a11} and {@code k == i}. The rule of the subtraction adds into {@code a13Bar[k]},
 * which is {@code a11Bar[i]}, the adjoint it distributes: it must be read once, before (random
 * program Rlx21Min, seed 21: the gradient came out twice the right one when the subtraction's
 * adjoint was the element's adjoint itself rather than a copy). Checked against central
 * differences of the class run as plain Java.
 */
class AliasedAdjointTest {
    private static final String SOURCE = """
            package t;

            import org.jetsketch.dsl.*;

            @Circuit
            class Aliased {
                @Param double p0 = -0.053;
                @Param double p1 = -0.994;

                @TrainingStep
                static void sgd(@Params double[] p, @Grads double[] g) {
                    for (int i = 0; i < p.length; i++) p[i] -= 0.05 * g[i];
                }

                @Loss
                double loss(int[] label) {
                    double[] a10 = {3.0, -1.25};
                    double[] a11 = a10;
                    int i12 = 0;
                    do {
                        double[] a13 = a11;
                        a11[i12] += (a13[label[0]] - p0 * p1);
                        i12++;
                    } while (i12 < 1);
                    return a11[0] * a11[1] + a11[0];
                }
            }
            """;

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void theGradientIsTheDifferencesOne(int label) {
        Compilation c = Compile.compile(Compile.source(SOURCE));
        assertThat(c).succeeded();
        ClassLoader loader = Compile.classes(c);
        CircuitRunner run = new CircuitRunner(loader, "t.Aliased", CircuitRunner.construct(loader, "t.Aliased",
                new Class<?>[0]));
        double[] theta = {-0.053, -0.994};
        int[] example = {label};
        double[] grad = new double[2];
        assertThat(run.loss(theta, example, grad)).isWithin(1e-12).of(run.plainLoss(theta, example));
        run.assertGradientMatchesDifferences(theta, example, grad, 1e-6, "label " + label);
    }
}
