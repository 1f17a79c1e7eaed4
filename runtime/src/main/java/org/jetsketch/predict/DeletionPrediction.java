package org.jetsketch.predict;

/**
 * What every prediction of f after a deletion answers, per example ({@link Prediction}: the
 * unbiased estimator of scheme §5) or per group ({@link GroupPrediction}: least squares in group
 * space for the low degrees, then unbiased, scheme §9): f(0), the estimate at each degree
 * d = 0..k, its change from f(0) and its standard error. Callers that report either kind (the
 * command line's predict, influence and validate) take this type and ask {@link
 * #estimatorDescription(int)} which estimator answered.
 */
public sealed interface DeletionPrediction permits Prediction, GroupPrediction {

    /** f(0), the measurement of the model trained on all data. */
    double f0();

    /** k, the highest degree. */
    int degree();

    /** The estimate of f at degree d (0 ≤ d ≤ k). */
    double mean(int d);

    /** mean(d) − f(0). */
    default double change(int d) {
        return mean(d) - f0();
    }

    /** The standard error of mean(d) (NaN where it cannot be measured, e.g. from one sketch). */
    double standardError(int d);

    /** Which estimator answered at degree d, in words. */
    String estimatorDescription(int d);
}
