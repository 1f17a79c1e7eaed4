package org.jetsketch.examples.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first program does what the README says, checked against retraining. */
class QuickStartTest {

    @Test
    void thePredictionAgreesWithRetraining(@TempDir Path dir) throws Exception {
        QuickStart.Result r = QuickStart.run(dir);
        System.out.println(r);
        // f(0) is the model trained on all data, computed independently here
        List<Logistic.Point> points = QuickStart.data();
        Logistic_Circuit circuit = new Logistic_Circuit(new Logistic(2));
        Trainer<Logistic.Point> trainer = new Trainer<>(circuit, Dataset.of(points),
                Schedule.miniBatches(points.size(), 11, 40, 1));
        assertEquals(trainer.measure(circuit.probability(new double[] {1, 1}), trainer.train(null)), r.f0(), 1e-12);
        // deleting the mislabelled points raises P(1 | (1, 1)) visibly, and the prediction sees it
        double change = r.retrained() - r.f0();
        assertTrue(change > 0.01, "retrained change " + change);
        for (int d = 1; d <= 3; d++) {
            double se = r.prediction().standardError(d);
            assertTrue(Math.abs(r.prediction().mean(d) - r.retrained()) <= Math.max(4 * se, 0.25 * change),
                    "degree " + d + ": " + r.prediction().mean(d) + " ± " + se + " against " + r.retrained());
        }
        assertTrue(r.prediction().change(1) > 0, "the degree-1 prediction has the retrained sign");
    }
}
