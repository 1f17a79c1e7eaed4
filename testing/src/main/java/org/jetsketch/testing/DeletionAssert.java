package org.jetsketch.testing;

import java.util.Objects;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.predict.ExactDirection;
import org.jetsketch.predict.ExactDirectionCurve;

/**
 * Exact checks on deleting one set D (scheme §7): one jet training along the real direction
 * v = 1_D gives the Taylor coefficients c_0..c_k of t ↦ f(t·1_D) exactly, so the degree-d value
 * f(1_D) ≈ Σ_{r≤d} c_r has no sampling error, only truncation error, which
 * {@link Change#confirmedByRetraining()} measures.
 */
public final class DeletionAssert<E> {
    private final Deletions<E> deletions;
    private final int[] set;

    DeletionAssert(Deletions<E> deletions, int[] set) {
        this.deletions = deletions;
        this.set = set;
    }

    /** The change f(1_D) − f(0) of {@code measurement}. */
    public Change<E> changes(BoundMeasurement measurement) {
        return new Change<>(deletions, set, Objects.requireNonNull(measurement, "measurement"));
    }

    /** The Taylor series of t ↦ f(t·1_D) itself. */
    public Series<E> seriesOf(BoundMeasurement measurement) {
        return new Series<>(deletions, set, Objects.requireNonNull(measurement, "measurement"));
    }

    /**
     * No branch decision of the training — a comparison, {@code max}, {@code min}, {@code abs} or
     * {@code relu} on a value that depends on the parameters — can switch while D's weight goes
     * from 0 to 1: {@link #switchesNoBranchBefore(double) switchesNoBranchBefore(1)}.
     */
    public DeletionAssert<E> switchesNoBranch() {
        return switchesNoBranchBefore(1.0);
    }

    /**
     * No branch decision of the training can switch for deletion weights t·1_D with t below
     * {@code t}. The runtime's branch monitor bounds, at every decision of the jet training along
     * 1_D, the smallest |t| at which the degree-k Taylor polynomial of the compared difference can
     * reach zero (a rigorous bound for the degree-k series, and close to the true switch when the
     * series has converged); the smallest over the run must be at least {@code t}.
     */
    public DeletionAssert<E> switchesNoBranchBefore(double t) {
        if (!(t > 0) || !Double.isFinite(t)) throw new IllegalArgumentException("t must be finite and > 0, got " + t);
        int n = deletions.examples();
        int k = deletions.degree();
        Deletions.BranchBound bound = deletions.branchBound(ExactDirection.indicator(n, set), k);
        if (bound.radius() >= t) return this;
        StringBuilder sb = new StringBuilder();
        sb.append(deleting(set, n)).append(" should switch no branch decision of the training before t = ").append(Fmt.num(t))
                .append(" (D's deletion weight going from 0 to ").append(Fmt.num(t)).append("), but the decision at ")
                .append(bound.site()).append(" can switch at t = ").append(Fmt.num(bound.radius())).append(".\n  ")
                .append(deletions.setting()).append('\n');
        sb.append("  the bound: the smallest t at which the degree-").append(k).append(" Taylor polynomial (k = ").append(k)
                .append(", one jet training along 1_D, m = 1) of a compared difference can reach zero, over every "
                        + "decision of the run (close to where the decision really switches when the series has converged)\n");
        sb.append("  what to change: past t = ").append(Fmt.num(bound.radius())).append(" the series continues the branch "
                + "taken at t = 0 while retraining may take the other, so predictions of this deletion can be wrong at "
                + "any degree. Check the deletion by retraining (changes(m).confirmedByRetraining()), delete fewer examples "
                + "at once, or make the decision at ").append(bound.site())
                .append(" smooth (e.g. Fn.softplus for relu, a smooth clamp for min/max).");
        throw new DeletionAssertionError(sb.toString());
    }

    static String deleting(int[] set, int n) {
        return "deleting D = " + Fmt.set(set) + " (" + set.length + " of " + n + " examples)";
    }

    /** The change of one measurement under deleting D, checked at one degree. */
    public static final class Change<E> {
        private final Deletions<E> deletions;
        private final int[] set;
        private final BoundMeasurement measurement;
        private int degree;
        private boolean retrain;

        Change(Deletions<E> deletions, int[] set, BoundMeasurement measurement) {
            this.deletions = deletions;
            this.set = set;
            this.measurement = measurement;
            this.degree = deletions.degree();
        }

        /** Checks the degree-d value (default: the degree of {@link Deletions#degree(int)}). */
        public Change<E> atDegree(int d) {
            if (d < 1) throw new IllegalArgumentException("degree must be >= 1, got " + d);
            this.degree = d;
            return this;
        }

        /** Also retrains without D and requires the retrained change to satisfy the bound. */
        public Change<E> confirmedByRetraining() {
            this.retrain = true;
            return this;
        }

        /** |f(1_D) − f(0)| &lt; eps. */
        public Change<E> byLessThan(double eps) {
            return check(Bound.lessThan(eps));
        }

        /** |f(1_D) − f(0)| ≥ delta. */
        public Change<E> byAtLeast(double delta) {
            return check(Bound.atLeast(delta));
        }

        /** lo ≤ f(1_D) − f(0) ≤ hi. */
        public Change<E> inRange(double lo, double hi) {
            return check(Bound.inRange(lo, hi));
        }

        private Change<E> check(Bound bound) {
            int n = deletions.examples();
            double[] v = ExactDirection.indicator(n, set);
            ExactDirectionCurve curve = deletions.exactCurve(v, degree, measurement);
            double f0 = curve.coefficient(0);
            double change = curve.value(1.0, degree) - f0;
            boolean seriesHolds = bound.holds(change);
            double retrainedChange = Double.NaN;
            boolean retrainedHolds = true;
            if (retrain) {
                retrainedChange = deletions.trained(measurement, v) - f0;
                retrainedHolds = bound.holds(retrainedChange);
            }
            if (seriesHolds && retrainedHolds) return this;

            StringBuilder sb = new StringBuilder();
            sb.append(deleting(set, n)).append(" should change ").append(measurement.description()).append(' ')
                    .append(bound.describe()).append(", but ");
            if (!seriesHolds) {
                sb.append("at degree ").append(degree).append(" the change is ").append(Fmt.signed(change));
                if (retrain) sb.append(retrainedHolds ? " (retraining passes)" : " (retraining fails too)");
            } else {
                sb.append("retraining changes it by ").append(Fmt.signed(retrainedChange))
                        .append(" (the degree-").append(degree).append(" series passes with ").append(Fmt.signed(change))
                        .append(')');
            }
            sb.append(".\n  ").append(deletions.setting()).append('\n');
            sb.append("  f(0) = ").append(Fmt.num(f0)).append(" (trained on all data)\n");
            sb.append("  exact-direction series along 1_D (one jet training along a real direction: m = 1, k = ")
                    .append(degree).append(", no sampling error, so SE = 0):\n");
            seriesLines(sb, curve, degree);
            if (retrain) {
                sb.append("  retrained without D: f(1_D) = ").append(Fmt.num(retrainedChange + f0)).append(", change ")
                        .append(Fmt.signed(retrainedChange)).append(retrainedHolds ? " (satisfies the bound)" : " (violates the bound)")
                        .append("; truncation error of degree ").append(degree).append(": ")
                        .append(Fmt.num(Math.abs(change - retrainedChange))).append('\n');
            }
            sb.append("  what to change: ").append(advice(bound, curve, change, seriesHolds, retrainedHolds, retrainedChange));
            throw new DeletionAssertionError(sb.toString());
        }

        private String advice(Bound bound, ExactDirectionCurve curve, double change, boolean seriesHolds,
                              boolean retrainedHolds, double retrainedChange) {
            double last = Math.abs(curve.coefficient(degree));
            double margin = bound.margin(change);
            if (retrain && seriesHolds != retrainedHolds) {
                return "the degree-" + degree + " series and retraining disagree, so the series has not converged at degree "
                        + degree + " (last term |c_" + degree + "| = " + Fmt.num(last) + "): raise the degree (atDegree("
                        + (degree + 2) + ")); if the terms do not fall (seriesOf(m).decaysGeometrically(...)), this deletion "
                        + "is beyond the series and only retraining answers it.";
            }
            if (!retrain && last >= margin) {
                return "the last term |c_" + degree + "| = " + Fmt.num(last) + " is not small against the distance "
                        + Fmt.num(margin) + " to the bound, so higher degrees may still cross it: raise the degree (atDegree("
                        + (degree + 2) + ")) or add confirmedByRetraining().";
            }
            double real = retrain ? retrainedChange : change;
            return "the series has settled (last term " + Fmt.num(last) + ", distance to the bound " + Fmt.num(margin)
                    + (retrain ? ", and retraining agrees" : "") + "): deleting D really changes "
                    + measurement.description() + " by " + Fmt.signed(real)
                    + ". Fix the model or the data, or the bound if this change is acceptable.";
        }
    }

    /** "degree d: f(1_D) = ..., change ..., term c_d = ..." for d = 1..k. */
    static void seriesLines(StringBuilder sb, ExactDirectionCurve curve, int checked) {
        double f0 = curve.coefficient(0);
        for (int d = 1; d <= curve.degree(); d++) {
            double v = curve.value(1.0, d);
            sb.append("    degree ").append(d).append(": f(1_D) = ").append(Fmt.num(v)).append(", change ")
                    .append(Fmt.signed(v - f0)).append(" ± 0, term c_").append(d).append(" = ")
                    .append(Fmt.signed(curve.coefficient(d))).append(d == checked ? "   <- checked" : "").append('\n');
        }
    }

    /** The exact Taylor series of t ↦ f(t·1_D). */
    public static final class Series<E> {
        private final Deletions<E> deletions;
        private final int[] set;
        private final BoundMeasurement measurement;
        private int degree;

        Series(Deletions<E> deletions, int[] set, BoundMeasurement measurement) {
            this.deletions = deletions;
            this.set = set;
            this.measurement = measurement;
            this.degree = deletions.degree();
        }

        /** Checks the terms up to degree d (default: {@link Deletions#degree(int)}; at least 2). */
        public Series<E> upToDegree(int d) {
            if (d < 2) throw new IllegalArgumentException("a decay needs degree >= 2, got " + d);
            this.degree = d;
            return this;
        }

        /**
         * Every term is at most {@code ratio} times the one before: |c_{r+1}| ≤ ratio·|c_r| for
         * r = 1..k−1, so the series converges at t = 1 at least as fast as a geometric one.
         */
        public Series<E> decaysGeometrically(double ratio) {
            if (!(ratio > 0 && ratio < 1)) {
                throw new IllegalArgumentException("decaysGeometrically(ratio) needs 0 < ratio < 1, got " + ratio);
            }
            if (degree < 2) throw new IllegalArgumentException("a decay needs degree >= 2, got " + degree);
            int n = deletions.examples();
            ExactDirectionCurve curve = deletions.exactCurve(ExactDirection.indicator(n, set), degree, measurement);
            int firstBad = -1;
            for (int r = 1; r < degree && firstBad < 0; r++) {
                if (Math.abs(curve.coefficient(r + 1)) > ratio * Math.abs(curve.coefficient(r))) firstBad = r + 1;
            }
            if (firstBad < 0) return this;
            StringBuilder sb = new StringBuilder();
            sb.append("the Taylor series of ").append(measurement.description()).append(" along ")
                    .append(deleting(set, n)).append(" should decay geometrically with ratio ").append(Fmt.num(ratio))
                    .append(" up to degree ").append(degree).append(", but |c_").append(firstBad).append("| = ")
                    .append(Fmt.num(Math.abs(curve.coefficient(firstBad)))).append(" is ")
                    .append(Fmt.num(ratioOf(curve, firstBad))).append(" times |c_").append(firstBad - 1).append("|.\n  ")
                    .append(deletions.setting()).append('\n');
            sb.append("  f(0) = ").append(Fmt.num(curve.coefficient(0))).append("; terms and ratios |c_r / c_{r-1}|:\n");
            for (int r = 1; r <= degree; r++) {
                sb.append("    c_").append(r).append(" = ").append(Fmt.signed(curve.coefficient(r)));
                if (r > 1) sb.append("   ratio ").append(Fmt.num(ratioOf(curve, r)));
                sb.append('\n');
            }
            sb.append("  what to change: a series that does not fall is outside the scheme's stability assumption for "
                    + "this deletion: delete fewer examples at once, lower the step size or regularise the model, or "
                    + "test this deletion by retraining (assertThatDeleting(D).changes(m).confirmedByRetraining()).");
            throw new DeletionAssertionError(sb.toString());
        }

        private static double ratioOf(ExactDirectionCurve c, int r) {
            return Math.abs(c.coefficient(r)) / Math.abs(c.coefficient(r - 1));
        }
    }
}
