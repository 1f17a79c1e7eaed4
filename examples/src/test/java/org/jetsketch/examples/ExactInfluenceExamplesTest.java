package org.jetsketch.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jetsketch.predict.ExactDirection;
import org.jetsketch.predict.ExactDirectionCurve;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.ExactInfluence;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The adjoint of training on the three examples — full-batch gradient descent, Adam on
 * mini-batches, SGD with momentum on mini-batches — against forward mode: for every training
 * example, ∂f/∂w_i from the backward sweep equals the degree-1 coefficient of the exact-direction
 * jet along e_i (all n directions in batched passes) to 1e-9 of the largest.
 */
class ExactInfluenceExamplesTest {

    @ParameterizedTest
    @ValueSource(strings = {"linear", "logistic", "mlp"})
    void everyExampleMatchesItsExactDirection(String name) {
        check(Examples.byName(name));
    }

    private static <E> void check(Example<E> example) {
        Dataset<E> data = Dataset.of(example.data());
        int n = example.data().size();
        ExactInfluence.Influence influence = new ExactInfluence<>(example.circuit(), data, example.schedule())
                .run(example.measurement());
        double[][] e = new double[n][];
        for (int i = 0; i < n; i++) e[i] = ExactDirection.indicator(n, new int[] {i});
        List<ExactDirectionCurve> curves = ExactDirection.runBatch(example.circuit(), data, example.schedule(),
                example.circuit().initialParameters(), e, 1, 16, example.measurement());
        double scale = 0;
        for (ExactDirectionCurve c : curves) scale = Math.max(scale, Math.abs(c.coefficient(1)));
        assertTrue(scale > 1e-6, example.name() + ": influences are not trivially zero: " + scale);
        double[] reverse = influence.derivative(0);
        for (int i = 0; i < n; i++) {
            assertEquals(curves.get(i).coefficient(1), reverse[i], 1e-9 * scale, example.name() + ", example " + i);
        }
        assertEquals(curves.get(0).coefficient(0), influence.values()[0], 1e-12 * Math.max(1, Math.abs(scale)));
    }
}
