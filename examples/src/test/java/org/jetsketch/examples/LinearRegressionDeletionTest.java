package org.jetsketch.examples;

import java.util.List;
import org.jetsketch.testing.Deletions;
import org.jetsketch.testing.SketchCache;
import org.jetsketch.testing.SketchCacheExtension;
import org.jetsketch.train.Schedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@code linear} example tested the way a user would test their own model, with the
 * {@code testing} module. Thresholds are set from retraining (docs/examples.md): deleting the
 * outlier cluster moves the prediction at its centre by −1.236 and the coefficient of x0 by −0.461;
 * no single example moves that prediction by more than 0.233.
 */
@ExtendWith(SketchCacheExtension.class)
class LinearRegressionDeletionTest {
    static final List<RegressionPoint> DATA = Datasets.regressionWithOutlierCluster(60, 5, 1);
    static final int[] OUTLIERS = {60, 61, 62, 63, 64};
    static final double[] CLUSTER_CENTRE = {1.5, 1.0, 0.0};

    final LinearRegression_Circuit model = new LinearRegression_Circuit(new LinearRegression(3));
    final Deletions<RegressionPoint> deletions = Deletions.of(model, DATA, Schedule.fullBatch(DATA.size(), 100));

    @Test
    void deletingTheOutliersChangesTheFittedSlope() {
        deletions.assertThatDeleting(OUTLIERS).changes(model.weight(0)).confirmedByRetraining().byAtLeast(0.4);
    }

    @Test
    void deletingTheOutliersLowersThePredictionAtTheirCentre() {
        deletions.assertThatDeleting(OUTLIERS).changes(model.prediction(CLUSTER_CENTRE))
                .atDegree(4).confirmedByRetraining().inRange(-1.3, -1.15);
    }

    /** Gradient descent on a quadratic: each term about a quarter of the one before. */
    @Test
    void theSeriesConverges() {
        deletions.degree(5).assertThatDeleting(OUTLIERS).seriesOf(model.prediction(CLUSTER_CENTRE))
                .decaysGeometrically(0.3);
    }

    @Test
    void noSingleExampleMovesThePredictionByMoreThanAQuarter() {
        deletions.noSingleExample().changes(model.prediction(CLUSTER_CENTRE)).confirmedByRetraining().byMoreThan(0.25);
    }

    /** Each outlier alone, and all five, from one set of 300 sketches kept in target/jetsketch-cache. */
    @Test
    void eachOutlierMattersOnItsOwn(SketchCache cache) {
        deletions.directions(300).cache(cache).sketched()
                .assertThatDeletingEach(new int[] {60}, new int[] {61}, new int[] {62}, new int[] {63}, new int[] {64},
                        OUTLIERS)
                .changes(model.prediction(CLUSTER_CENTRE)).byAtLeast(0.05);
    }
}
