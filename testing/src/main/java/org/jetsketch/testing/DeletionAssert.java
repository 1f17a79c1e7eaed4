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
            // one degree more than checked, for the advice only: whether the terms fall and how large
            // the next one is decide whether the series has settled
            ExactDirectionCurve longer = deletions.exactCurve(v, degree + 1, measurement);
            double[] terms = new double[degree + 2];
            for (int r = 0; r <= degree + 1; r++) terms[r] = longer.coefficient(r);
            sb.append("  what to change: ").append(advice(new Evidence(terms, bound.margin(change), retrain,
                    retrain ? Math.abs(change - retrainedChange) : Double.NaN), seriesHolds, retrainedHolds,
                    change, retrainedChange, measurement.description()));
            throw new DeletionAssertionError(sb.toString());
        }
    }

    /**
     * What a failed check's series shows. {@code terms} are c_0..c_{d+1}: the checked degree d and
     * the next term. {@code allowed} is the error the verdict tolerates: the distance from the
     * degree-d change to the nearest edge of the bound. {@code truncation} is |series − retraining|
     * (NaN without retraining).
     */
    record Evidence(double[] terms, double allowed, boolean retrained, double truncation) {
        /** Above this last ratio |c_{d+1}/c_d| the terms fall too slowly for a higher degree to settle them. */
        static final double SLOW_RATIO = 0.5;

        int degree() { return terms.length - 2; }

        double next() { return Math.abs(terms[terms.length - 1]); }

        /**
         * The last degree r ≤ d+1 at which |c_r| rises above |c_{r−1}| among the last three steps
         * (the tail is what decides convergence; an early rise is common and harmless), or −1 when
         * the terms fall.
         */
        int lastRise() {
            int top = terms.length - 1;
            for (int r = top; r >= Math.max(2, top - 2); r--) {
                if (Math.abs(terms[r]) > Math.abs(terms[r - 1])) return r;
            }
            return -1;
        }

        boolean falls() { return lastRise() < 0; }

        /** |c_{d+1}| / |c_d|: the last ratio of the terms (0 when both are 0). */
        double lastRatio() {
            double last = Math.abs(terms[degree()]);
            return last == 0 ? (next() == 0 ? 0 : Double.POSITIVE_INFINITY) : next() / last;
        }

        /**
         * The terms fall at least geometrically with ratio 1/2 at the end: a few more degrees would
         * shrink the truncation error by a known factor. Slower (a series near its radius of
         * convergence) and raising the degree barely helps.
         */
        boolean fallsFast() { return falls() && lastRatio() <= SLOW_RATIO; }

        /** Fast-falling terms, a next term within the error allowed and, if retrained, a truncation error too. */
        boolean settled() {
            return fallsFast() && next() <= allowed && (!retrained || truncation <= allowed);
        }

        /** One sentence per fact: whether the terms fall, the truncation error, the next term if too large. */
        String facts() {
            int d = degree();
            StringBuilder sb = new StringBuilder();
            int rise = lastRise();
            if (rise < 0) {
                sb.append(fallsFast() ? "the terms fall" : "the terms fall slowly").append(" (|c_").append(d).append("| = ")
                        .append(Fmt.num(Math.abs(terms[d]))).append(", next term |c_").append(d + 1).append("| = ")
                        .append(Fmt.num(next())).append(", ratio ").append(Fmt.num(lastRatio())).append(')');
            } else {
                sb.append("the terms do not fall (|c_").append(rise).append("| = ").append(Fmt.num(Math.abs(terms[rise])))
                        .append(" is larger than |c_").append(rise - 1).append("| = ")
                        .append(Fmt.num(Math.abs(terms[rise - 1]))).append(')');
            }
            if (retrained) {
                sb.append("; the truncation error of degree ").append(d).append(" against retraining is ")
                        .append(Fmt.num(truncation))
                        .append(truncation <= allowed ? ", within" : ", more than")
                        .append(" the error the verdict allows (").append(Fmt.num(allowed))
                        .append(", the distance from the degree-").append(d).append(" change to the bound)");
            }
            if (next() > allowed) {
                sb.append("; the next term c_").append(d + 1).append(" = ").append(Fmt.signed(terms[d + 1]))
                        .append(" is larger than the error the verdict allows (").append(Fmt.num(allowed))
                        .append(retrained ? "" : ", the distance from the degree-" + d + " change to the bound")
                        .append("), so degree ").append(d + 1).append(" could give the other verdict");
            }
            return sb.toString();
        }
    }

    /** The "what to change" line of a failed check: the facts of the series, then what they call for. */
    static String advice(Evidence e, boolean seriesHolds, boolean retrainedHolds, double change,
                         double retrainedChange, String measurement) {
        int d = e.degree();
        String facts = e.facts() + ". ";
        String raise = "raise the degree (atDegree(" + (d + 2) + "))";
        String unstable = (e.falls() ? "the terms fall too slowly for a higher degree to settle the series; " : "")
                + "this deletion is outside the scheme's stability assumption: only retraining answers it "
                + "(confirmedByRetraining()); delete fewer examples at once, lower the step size or regularise the model "
                + "to bring it back";
        if (e.retrained() && seriesHolds != retrainedHolds) {
            return facts + "The degree-" + d + " series and retraining disagree: "
                    + (e.fallsFast() ? raise + " until they agree." : unstable + ".");
        }
        if (e.retrained()) {
            String real = "Retraining violates the bound too: deleting D really changes " + measurement + " by "
                    + Fmt.signed(retrainedChange) + ". Fix the model or the data, or the bound if this change is acceptable.";
            if (e.settled()) return facts + "The series has settled and agrees with retraining. " + real;
            return facts + "The series has not settled; it reaches retraining's verdict, but "
                    + (e.fallsFast() ? "a higher degree (atDegree(" + (d + 2) + ")) is needed to trust it without retraining. "
                            : e.falls() ? "its terms fall too slowly to settle it: do not rely on the series for this "
                                    + "deletion without retraining. "
                            : "not by converging: do not rely on it for this deletion without retraining. ") + real;
        }
        if (e.settled()) {
            return facts + "The series has settled: deleting D changes " + measurement + " by about " + Fmt.signed(change)
                    + ". Fix the model or the data, or the bound if this change is acceptable; "
                    + "confirmedByRetraining() checks it against retraining.";
        }
        if (!e.fallsFast()) return facts + "The series has not settled: " + unstable + ".";
        return facts + "The series has not settled: " + raise + " or add confirmedByRetraining().";
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
            double slowest = 0;
            for (int r = 2; r <= degree; r++) slowest = Math.max(slowest, ratioOf(curve, r));
            if (slowest >= 1) {
                sb.append("  what to change: a series whose terms do not fall is outside the scheme's stability assumption "
                        + "for this deletion: delete fewer examples at once, lower the step size or regularise the model, or "
                        + "test this deletion by retraining (assertThatDeleting(D).changes(m).confirmedByRetraining()).");
            } else {
                sb.append("  what to change: the terms fall, but by a ratio up to ").append(Fmt.num(slowest))
                        .append(" per degree, not ").append(Fmt.num(ratio)).append(": the series converges more slowly "
                        + "than the test asks. Allow decaysGeometrically(").append(Fmt.num(Math.ceil(slowest * 100) / 100))
                        .append(") if the degree you predict at leaves a small enough truncation error, or check the "
                        + "deletion by retraining (assertThatDeleting(D).changes(m).confirmedByRetraining()).");
            }
            throw new DeletionAssertionError(sb.toString());
        }

        private static double ratioOf(ExactDirectionCurve c, int r) {
            return Math.abs(c.coefficient(r)) / Math.abs(c.coefficient(r - 1));
        }
    }
}
