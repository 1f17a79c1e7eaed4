package org.jetsketch.microgpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.predict.ExactDirection;
import org.jetsketch.predict.ExactDirectionCurve;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.ExactInfluence;
import org.jetsketch.train.Schedule;
import org.junit.jupiter.api.Test;

/**
 * The adjoint of training on microgpt (Adam, one name per step, the loss's softmax, rmsnorm and
 * attention reversed through the generated step adjoint and Hessian-vector products): ∂f/∂w_i for
 * 20 training names against the degree-1 coefficients of the exact-direction jets along e_i,
 * computed by forward mode through the whole training run in one batched pass.
 */
class ExactInfluenceMicroGptTest {

    @Test
    void firstOrderInfluenceEqualsTheExactDirectionCoefficients() {
        NamesData names = NamesData.bundled().shuffled(NamesData.DEFAULT_SEED);
        Vocabulary vocabulary = NamesData.bundled().vocabulary();
        int n = 120;
        List<Doc> docs = vocabulary.docs(names.first(n));
        MicroGpt_Circuit circuit = new MicroGpt_Circuit(new MicroGpt(vocabulary.size(), 42));
        Schedule schedule = Schedule.sequential(n, n);
        Dataset<Doc> data = Dataset.of(docs);
        BoundMeasurement loss = circuit.lossOn(vocabulary.docs(List.of("max")).get(0));

        ExactInfluence.Influence influence = new ExactInfluence<>(circuit, data, schedule).run(loss);
        double[] reverse = influence.derivative(0);

        int checked = 20;
        double[][] e = new double[checked][n];
        for (int q = 0; q < checked; q++) e[q][q * (n / checked) + 3] = 1.0;
        List<ExactDirectionCurve> curves = ExactDirection.runBatch(circuit, data, schedule,
                circuit.initialParameters(), e, 1, checked, loss);
        double scale = 0;
        for (ExactDirectionCurve c : curves) scale = Math.max(scale, Math.abs(c.coefficient(1)));
        assertTrue(scale > 1e-5, "influences are not trivially zero: " + scale);
        for (int q = 0; q < checked; q++) {
            int i = q * (n / checked) + 3;
            assertEquals(curves.get(q).coefficient(0), influence.values()[0], 1e-12, "f(0)");
            assertEquals(curves.get(q).coefficient(1), reverse[i], 1e-9 * scale, "name " + i + " " + names.first(n).get(i));
        }
    }
}
