package org.jetsketch.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code linear} example: least squares by full-batch gradient descent, an outlier cluster deleted. */
class LinearExampleTest {
    static ExampleChecks.Run run;

    @BeforeAll
    static void runExample() {
        run = ExampleChecks.run("linear");
    }

    @Test
    void exactDirectionErrorsFallWithTheDegree() {
        ExampleChecks.degreeZeroIsTheTrainedModel(run.result());
        ExampleChecks.exactErrorsFall(run.result());
    }

    /** Gradient descent on a quadratic: the error shrinks by a roughly constant factor per degree. */
    @Test
    void convergenceIsGeometric() {
        double[] e = ExampleChecks.exactErrors(run.result());
        for (int d = 2; d <= 4; d++) {
            assertTrue(e[d] < 0.4 * e[d - 1], "degree " + d + ": " + e[d] + " vs " + e[d - 1]);
        }
    }

    @Test
    void sketchPredictionWithinFourStandardErrorsOfTheExactDirection() {
        ExampleChecks.sketchWithinFourStandardErrorsOfExact(run.result());
    }

    @Test
    void leaveOneOutFindsTheOutliers() {
        ExampleChecks.influentialExamplesAreTheDeletionSet(run.result());
    }

    @Test
    void reportIsComplete() {
        ExampleChecks.reportHasEverySection(run);
    }

    /**
     * An independent oracle for the ground truth: 100 steps of gradient descent reach the
     * least-squares solution, so f(0) and f(1_D) equal Commons Math's OLS fits with and without D.
     */
    @Test
    void trainedAndRetrainedModelsAreTheLeastSquaresFits() {
        Example<RegressionPoint> e = Examples.linear();
        List<RegressionPoint> all = e.data();
        int[] d = e.deletionSet();
        List<RegressionPoint> kept = new java.util.ArrayList<>(all);
        for (int k = d.length - 1; k >= 0; k--) kept.remove(d[k]);
        assertEquals(olsPrediction(all), run.result().f0(), 1e-8);
        assertEquals(olsPrediction(kept), run.result().retrained(), 1e-8);
    }

    private static double olsPrediction(List<RegressionPoint> points) {
        double[] y = new double[points.size()];
        double[][] x = new double[points.size()][];
        for (int i = 0; i < y.length; i++) {
            y[i] = points.get(i).y();
            x[i] = points.get(i).x();
        }
        OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
        ols.newSampleData(y, x);
        double[] beta = ols.estimateRegressionParameters(); // intercept first
        double p = beta[0];
        for (int j = 0; j < Examples.LINEAR_QUERY.length; j++) p += beta[j + 1] * Examples.LINEAR_QUERY[j];
        return p;
    }
}
