package org.jetsketch.predict;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/**
 * Predictions against retraining over several deletion sets: per set the absolute error and
 * whether the retrained value lies within one and two standard errors of the prediction; across
 * sets the mean absolute error, the fractions within 1 and 2 SE, and the Pearson and Spearman
 * correlations of predicted with retrained values (Commons Math; Spearman ranks ties by their
 * average rank). A correlation that is undefined — fewer than 2 sets, or no variation in the
 * predicted or the retrained values — is reported as not available with the reason, never as NaN.
 * Immutable.
 */
public final class Validation {

    /** One deletion set: its label, the prediction and its standard error, and the retrained value. */
    public record Case(String label, double predicted, double standardError, double retrained) {
        public Case {
            if (label == null) throw new IllegalArgumentException("label is null");
            if (!Double.isFinite(predicted)) {
                throw new IllegalArgumentException("predicted value of '" + label + "' is not finite: " + predicted);
            }
            if (!(standardError >= 0) || standardError == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("standard error of '" + label
                        + "' must be finite and >= 0, got " + standardError);
            }
            if (!Double.isFinite(retrained)) {
                throw new IllegalArgumentException("retrained value of '" + label + "' is not finite: " + retrained);
            }
        }
    }

    /** The per-set result. */
    public record CaseResult(Case input, double absoluteError, boolean withinOneSE, boolean withinTwoSE) {}

    /** A correlation coefficient, or the reason it is not available. */
    public static final class Correlation {
        private final double value;
        private final String reason;

        private Correlation(double value, String reason) {
            this.value = value;
            this.reason = reason;
        }

        static Correlation of(double value) { return new Correlation(value, null); }

        static Correlation unavailable(String reason) { return new Correlation(Double.NaN, reason); }

        public boolean isAvailable() { return reason == null; }

        /** The coefficient. @throws IllegalStateException with the reason if not available */
        public double value() {
            if (reason != null) throw new IllegalStateException("correlation not available: " + reason);
            return value;
        }

        /** Why it is not available; empty if it is. */
        public String reason() { return reason == null ? "" : reason; }

        @Override
        public String toString() {
            return reason == null ? String.format(Locale.ROOT, "%.6f", value) : "n/a (" + reason + ")";
        }
    }

    private final List<CaseResult> results;
    private final double meanAbsoluteError;
    private final double fractionWithinOneSE;
    private final double fractionWithinTwoSE;
    private final Correlation pearson;
    private final Correlation spearman;

    private Validation(List<CaseResult> results, double mae, double one, double two, Correlation pearson,
                       Correlation spearman) {
        this.results = results;
        this.meanAbsoluteError = mae;
        this.fractionWithinOneSE = one;
        this.fractionWithinTwoSE = two;
        this.pearson = pearson;
        this.spearman = spearman;
    }

    /**
     * @throws IllegalArgumentException if the list is null, empty, or holds a null case
     */
    public static Validation of(List<Case> cases) {
        if (cases == null) throw new IllegalArgumentException("cases are null");
        if (cases.isEmpty()) throw new IllegalArgumentException("need at least one case, got 0");
        int n = cases.size();
        double[] predicted = new double[n], retrained = new double[n];
        List<CaseResult> results = new ArrayList<>(n);
        double sumAbs = 0;
        int one = 0, two = 0;
        for (int i = 0; i < n; i++) {
            Case c = cases.get(i);
            if (c == null) throw new IllegalArgumentException("case " + i + " is null");
            predicted[i] = c.predicted();
            retrained[i] = c.retrained();
            double err = Math.abs(c.predicted() - c.retrained());
            boolean w1 = err <= c.standardError(), w2 = err <= 2 * c.standardError();
            if (w1) one++;
            if (w2) two++;
            sumAbs += err;
            results.add(new CaseResult(c, err, w1, w2));
        }
        Correlation pearson, spearman;
        String reason = unavailableReason(predicted, retrained);
        if (reason != null) {
            pearson = Correlation.unavailable(reason);
            spearman = Correlation.unavailable(reason);
        } else {
            pearson = Correlation.of(new PearsonsCorrelation().correlation(predicted, retrained));
            spearman = Correlation.of(new SpearmansCorrelation().correlation(predicted, retrained));
        }
        return new Validation(List.copyOf(results), sumAbs / n, (double) one / n, (double) two / n, pearson, spearman);
    }

    private static String unavailableReason(double[] predicted, double[] retrained) {
        if (predicted.length < 2) return "fewer than 2 sets (" + predicted.length + ")";
        if (constant(predicted)) return "the predicted values are all equal (" + predicted[0] + ")";
        if (constant(retrained)) return "the retrained values are all equal (" + retrained[0] + ")";
        return null;
    }

    private static boolean constant(double[] v) {
        for (double x : v) if (x != v[0]) return false;
        return true;
    }

    public List<CaseResult> results() { return results; }

    public double meanAbsoluteError() { return meanAbsoluteError; }

    public double fractionWithinOneSE() { return fractionWithinOneSE; }

    public double fractionWithinTwoSE() { return fractionWithinTwoSE; }

    public Correlation pearson() { return pearson; }

    public Correlation spearman() { return spearman; }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Validation[%d sets, MAE %.6g, within 1 SE %.3f, within 2 SE %.3f, "
                        + "Pearson %s, Spearman %s]", results.size(), meanAbsoluteError, fractionWithinOneSE,
                fractionWithinTwoSE, pearson, spearman);
    }
}
