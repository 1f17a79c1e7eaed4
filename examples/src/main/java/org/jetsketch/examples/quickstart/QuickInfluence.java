package org.jetsketch.examples.quickstart;

import java.util.List;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.ExactInfluence;
import org.jetsketch.train.Schedule;

/**
 * The exact first-order influence of every training example on the quick start's model
 * (docs/influence.md shows the part between the markers; {@code QuickInfluenceTest} checks it
 * against retraining).
 */
public final class QuickInfluence {
    private QuickInfluence() {}

    /** ∂f/∂w_i for every example, the ranking, and the first-order prediction of deleting D. */
    public record Result(double f0, double[] leaveOneOut, int[] ranked, double withoutD) {}

    public static void main(String[] args) {
        Result r = run();
        System.out.printf("P(label 1 | x = (1, 1)) trained on all data: %.4f%n", r.f0());
        for (int q = 0; q < 5; q++) {
            System.out.printf("  deleting example %d alone changes it by %+.5f (first order)%n", r.ranked()[q],
                    r.leaveOneOut()[r.ranked()[q]]);
        }
        System.out.printf("  without the 6 mislabelled points, first order: %.4f%n", r.withoutD());
    }

    public static Result run() {
        List<Logistic.Point> examples = QuickStart.data();
        int[] d = {60, 61, 62, 63, 64, 65};
        Logistic_Circuit circuit = new Logistic_Circuit(new Logistic(2));
        // snippet-begin
        ExactInfluence.Influence influence = new ExactInfluence<>(circuit, Dataset.of(examples),
                Schedule.miniBatches(examples.size(), 11, 40, 1))
                .memoryBudget(256L << 20)                  // beyond it: checkpoints and recomputation
                .run(circuit.probability(new double[] {1, 1}));
        double[] leaveOneOut = influence.derivative(0);    // deleting i alone changes f by about leaveOneOut[i]
        int[] ranked = influence.ranking(0);               // the examples by |∂f/∂w_i|, largest first
        double withoutD = influence.firstOrder(0, d);      // f(0) + Σ_{i∈D} ∂f/∂w_i
        // snippet-end
        return new Result(influence.values()[0], leaveOneOut, ranked, withoutD);
    }
}
