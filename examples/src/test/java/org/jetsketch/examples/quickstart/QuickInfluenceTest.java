package org.jetsketch.examples.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jetsketch.predict.ExactDirection;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;
import org.junit.jupiter.api.Test;

/** docs/influence.md's program: its first-order values against retraining and finite differences. */
class QuickInfluenceTest {

    @Test
    void firstOrderInfluenceAgreesWithRetraining() {
        QuickInfluence.Result r = QuickInfluence.run();
        List<Logistic.Point> points = QuickStart.data();
        int n = points.size();
        Logistic_Circuit circuit = new Logistic_Circuit(new Logistic(2));
        Trainer<Logistic.Point> trainer = new Trainer<>(circuit, Dataset.of(points), Schedule.miniBatches(n, 11, 40, 1));
        var probability = circuit.probability(new double[] {1, 1});
        assertEquals(trainer.measure(probability, trainer.train(null)), r.f0(), 1e-12);
        // the most influential example: its first-order change against central differences of retraining
        int top = r.ranked()[0];
        double h = 1e-5;
        double[] w = new double[n];
        w[top] = h;
        double plus = trainer.measure(probability, trainer.train(w));
        w[top] = -h;
        double minus = trainer.measure(probability, trainer.train(w));
        assertEquals((plus - minus) / (2 * h), r.leaveOneOut()[top], 1e-5 * Math.abs(r.leaveOneOut()[top]) + 1e-8);
        // deleting it alone, retrained: the first order has the sign and about the size
        double alone = trainer.measure(probability, trainer.train(ExactDirection.indicator(n, new int[] {top}))) - r.f0();
        assertTrue(Math.signum(alone) == Math.signum(r.leaveOneOut()[top]), alone + " vs " + r.leaveOneOut()[top]);
        assertEquals(alone, r.leaveOneOut()[top], 0.3 * Math.abs(alone));
        // the mislabelled points together: the first order moves the prediction the retrained way
        double retrained = trainer.measure(probability, trainer.train(ExactDirection.indicator(n, new int[] {60, 61, 62,
                63, 64, 65})));
        assertTrue((r.withoutD() - r.f0()) * (retrained - r.f0()) > 0, r.withoutD() + " vs " + retrained);
        double previous = Double.POSITIVE_INFINITY;
        for (int i : r.ranked()) {
            assertTrue(Math.abs(r.leaveOneOut()[i]) <= previous);
            previous = Math.abs(r.leaveOneOut()[i]);
        }
    }
}
