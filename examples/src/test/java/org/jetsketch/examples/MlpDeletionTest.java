package org.jetsketch.examples;

import java.util.List;
import org.jetsketch.testing.Deletions;
import org.jetsketch.train.Schedule;
import org.junit.jupiter.api.Test;

/**
 * The {@code mlp} example under the {@code testing} module's assertions. From retraining:
 * deleting the three mislabelled points raises the log-odds of class 1 against class 0 at class
 * 1's centre by 2.188; the largest single-example change is 0.922 (a mislabelled point).
 */
class MlpDeletionTest {
    static final List<LabeledPoint> DATA = Datasets.threeClassesWithMislabelled(20, 3, 1);
    static final int[] MISLABELLED = {60, 61, 62};
    static final double[] CLASS_1_CENTRE = {-1.0, 1.732};

    final MlpClassifier_Circuit model = new MlpClassifier_Circuit(new MlpClassifier(2, 8, 3, 0.01, 0.9, 1));
    final Deletions<LabeledPoint> deletions =
            Deletions.of(model, DATA, Schedule.miniBatches(DATA.size(), 20, 12, 1)).degree(4);

    @Test
    void deletingTheMislabelledPointsRaisesTheLogOddsOfTheirTrueClass() {
        deletions.assertThatDeleting(MISLABELLED).changes(model.logOdds(CLASS_1_CENTRE, 1, 0))
                .confirmedByRetraining().byAtLeast(1.5);
    }

    /** The terms fall by 0.38, 0.28, 0.17, 0.05 from one degree to the next. */
    @Test
    void theSeriesConvergesThroughTheMaxOfTheLogSumExp() {
        deletions.degree(5).assertThatDeleting(MISLABELLED).seriesOf(model.logOdds(CLASS_1_CENTRE, 1, 0))
                .decaysGeometrically(0.45);
    }

    @Test
    void noSingleExampleFlipsTheLogOddsByOneOrMore() {
        deletions.noSingleExample().changes(model.logOdds(CLASS_1_CENTRE, 1, 0)).atDegree(3)
                .confirmedByRetraining().byMoreThan(1.0);
    }
}
