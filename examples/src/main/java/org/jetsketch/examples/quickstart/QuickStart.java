package org.jetsketch.examples.quickstart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.predict.DeletionEstimator;
import org.jetsketch.predict.ExactDirection;
import org.jetsketch.predict.Prediction;
import org.jetsketch.predict.SketchTables;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.sketch.Sketcher;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;

/**
 * From a circuit to a deletion prediction, checked against retraining: the README's first
 * program ({@code QuickStartTest} runs it and checks what it prints against retraining).
 */
public final class QuickStart {
    private QuickStart() {}

    /** What the program prints: the trained model's value, the prediction and the retrained truth. */
    public record Result(double f0, Prediction prediction, double retrained) {}

    public static void main(String[] args) throws IOException {
        Path sketches = Files.createTempDirectory("quickstart-sketches");
        Result r = run(sketches);
        System.out.printf("P(label 1 | x = (1, 1)) trained on all data: %.4f%n", r.f0());
        for (int d = 1; d <= r.prediction().degree(); d++) {
            System.out.printf("  without the 6 mislabelled points, degree %d: %.4f ± %.4f%n", d,
                    r.prediction().mean(d), r.prediction().standardError(d));
        }
        System.out.printf("  retrained without them: %.4f%n", r.retrained());
    }

    /** 60 points in two clusters, then 6 points of the second cluster labelled 0 (indices 60..65). */
    public static List<Logistic.Point> data() {
        Random random = new Random(3);
        List<Logistic.Point> points = new ArrayList<>();
        for (int i = 0; i < 66; i++) {
            int cluster = i < 60 ? i % 2 : 1;
            double centre = cluster == 1 ? 1 : -1;
            double[] x = {centre + random.nextGaussian(), centre + random.nextGaussian()};
            points.add(new Logistic.Point(x, i < 60 ? cluster : 0));
        }
        return points;
    }

    public static Result run(Path sketchDirectory) throws IOException {
        List<Logistic.Point> points = data();
        Dataset<Logistic.Point> data = Dataset.of(points);            // examples 0..n-1
        int n = data.size();
        int[] mislabelled = {60, 61, 62, 63, 64, 65};                   // the deletion set D

        // Which examples each step trains on: shuffled mini-batches of 11, 40 epochs, seed 1.
        // Fixed whatever is deleted: a deleted example keeps its place with weight 0.
        Schedule schedule = Schedule.miniBatches(n, 11, 40, 1);

        // The generated circuit; a measurement is bound to its arguments.
        Logistic_Circuit circuit = new Logistic_Circuit(new Logistic(2));
        BoundMeasurement probability = circuit.probability(new double[] {1, 1});

        // Sketch once: 200 jet trainings of degree 3 along random directions, streamed to disk.
        try (SketchStore store = new Sketcher<>(circuit, data, schedule)
                .degree(3).directions(200).seed(7).run(sketchDirectory)) {
            // One coefficient table per measurement (2 threads), then any deletion set at once.
            DeletionEstimator estimator = DeletionEstimator.cached(SketchTables.table(store, probability, 2));
            Prediction prediction = estimator.predictDeletion(mislabelled);

            // The ground truth: train again with the weights of D set to 1 (deleted).
            Trainer<Logistic.Point> trainer = new Trainer<>(circuit, data, schedule);
            double retrained = trainer.measure(probability, trainer.train(ExactDirection.indicator(n, mislabelled)));
            return new Result(prediction.f0(), prediction, retrained);
        }
    }
}
