package com.example.counts;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.predict.DeletionEstimator;
import org.jetsketch.predict.ExactDirection;
import org.jetsketch.predict.ExactDirectionCurve;
import org.jetsketch.predict.Prediction;
import org.jetsketch.predict.SketchTables;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.sketch.Sketcher;
import org.jetsketch.testing.Deletions;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user checks first: predictions of deleting a few records against retraining. */
class PoissonRegressionTest {

    /** 60 counts with rate exp(0.5 + 0.8 x0 - 0.5 x1), then 3 records of a burst (20+ events) near the origin. */
    static List<Count> data() {
        Random r = new Random(42);
        List<Count> out = new ArrayList<>();
        for (int i = 0; i < 63; i++) {
            double[] x = {2 * r.nextDouble() - 1, 2 * r.nextDouble() - 1};
            int events = i < 60 ? poisson(Math.exp(0.5 + 0.8 * x[0] - 0.5 * x[1]), r) : 20 + r.nextInt(5);
            if (i >= 60) {
                x[0] *= 0.2;
                x[1] *= 0.2;
            }
            out.add(new Count(x, events));
        }
        return out;
    }

    static int poisson(double rate, Random r) {
        double limit = Math.exp(-rate);
        double p = 1;
        int k = 0;
        while ((p *= r.nextDouble()) > limit) k++;
        return k;
    }

    /** The same question as a jetsketch assertion (module testing): exact, and checked by retraining. */
    @Test
    void deletingTheBurstLowersTheRateAtTheOrigin() {
        List<Count> examples = data();
        PoissonRegression_Circuit circuit = new PoissonRegression_Circuit(new PoissonRegression(2));
        Deletions.of(circuit, examples, Schedule.fullBatch(examples.size(), 150))
                .assertThatDeleting(60, 61, 62)
                .changes(circuit.expectedCount(new double[] {0, 0}))
                .confirmedByRetraining()
                .inRange(-1.5, -0.8);
    }

    @Test
    void deletingTheBurstIsPredictedFromSketches(@TempDir Path dir) throws Exception {
        List<Count> examples = data();
        int n = examples.size();
        int[] burst = {60, 61, 62};
        Dataset<Count> data = Dataset.of(examples);
        Schedule schedule = Schedule.fullBatch(n, 150);
        PoissonRegression_Circuit circuit = new PoissonRegression_Circuit(new PoissonRegression(2));
        BoundMeasurement rateAtOrigin = circuit.expectedCount(new double[] {0, 0});

        // Ground truth: retrain with the burst deleted (weights w = 1_D).
        Trainer<Count> trainer = new Trainer<>(circuit, data, schedule);
        double retrained = trainer.measure(rateAtOrigin, trainer.train(ExactDirection.indicator(n, burst)));

        // Exact direction: one jet training along 1_D; the error falls with the degree.
        ExactDirectionCurve curve = ExactDirection.run(circuit, data, schedule, circuit.initialParameters(),
                ExactDirection.indicator(n, burst), 4, rateAtOrigin);
        double e1 = Math.abs(curve.value(1, 1) - retrained);
        double e4 = Math.abs(curve.value(1, 4) - retrained);
        assertTrue(e4 < e1 / 10, "degree 1 error " + e1 + ", degree 4 error " + e4);

        // Sketches: 200 random directions at degree 3, then a prediction for any deletion set.
        SketchStore store = new Sketcher<>(circuit, data, schedule).degree(3).directions(200).seed(7).run(dir);
        Prediction p = DeletionEstimator.cached(SketchTables.table(store, rateAtOrigin, 2)).predictDeletion(burst);
        System.out.printf("f(0) = %.4f, retrained %.4f%n", p.f0(), retrained);
        for (int d = 1; d <= 3; d++) {
            System.out.printf("degree %d: predicted %.4f ± %.4f, exact direction %.4f%n", d, p.mean(d),
                    p.standardError(d), curve.value(1, d));
            assertTrue(Math.abs(p.mean(d) - curve.value(1, d)) <= 4 * p.standardError(d), "degree " + d);
        }
    }
}
