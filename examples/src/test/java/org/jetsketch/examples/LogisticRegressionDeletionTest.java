package org.jetsketch.examples;

import java.util.List;
import org.jetsketch.testing.Deletions;
import org.jetsketch.testing.SketchCache;
import org.jetsketch.testing.SketchCacheExtension;
import org.jetsketch.train.Schedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@code logistic} example under the {@code testing} module's assertions. From retraining:
 * deleting the six mislabelled points raises the log-odds at (1.5, 0.75) by 0.736, and no single
 * example moves the probability there by more than 0.0174.
 */
@ExtendWith(SketchCacheExtension.class)
class LogisticRegressionDeletionTest {
    static final List<LabeledPoint> DATA = Datasets.twoClassesWithMislabelled(40, 6, 1);
    static final int[] MISLABELLED = {80, 81, 82, 83, 84, 85};
    static final double[] PROBE = {1.5, 0.75};

    final LogisticRegression_Circuit model = new LogisticRegression_Circuit(new LogisticRegression(2, 0.01, 0.1, 0.1));
    final Deletions<LabeledPoint> deletions =
            Deletions.of(model, DATA, Schedule.miniBatches(DATA.size(), 16, 10, 1));

    @Test
    void noSingleExampleChangesThePredictionOnAProbeByMoreThanTwoPoints() {
        deletions.noSingleExample().changes(model.probability(PROBE)).confirmedByRetraining().byMoreThan(0.02);
    }

    @Test
    void deletingTheMislabelledPointsRaisesTheLogOdds() {
        deletions.assertThatDeleting(MISLABELLED).changes(model.logOdds(PROBE)).confirmedByRetraining().inRange(0.6, 0.9);
    }

    /** The same question from 300 random sketches (kept across builds), with a 99% interval. */
    @Test
    void theSketchesAgree(SketchCache cache) {
        deletions.directions(300).cache(cache).sketched()
                .assertThatDeletingEach(MISLABELLED).changes(model.logOdds(PROBE)).byAtLeast(0.5);
    }
}
