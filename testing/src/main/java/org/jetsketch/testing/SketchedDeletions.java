package org.jetsketch.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.predict.DeletionEstimator;
import org.jetsketch.predict.Prediction;
import org.jetsketch.predict.StabilityProfile;

/**
 * Statistical checks from m random-direction sketches of degree k (scheme §4–§5), which answer
 * any number of deletion sets from one precomputation. Each estimate comes with its standard
 * error SE; with the interval estimate ± z·SE (z from {@link Deletions#z(double)}, default the
 * two-sided 99% quantile) a check
 *
 * <ul>
 *   <li>passes only when the whole interval satisfies the bound, for every set;
 *   <li>fails ({@link DeletionAssertionError}) when, for some set, the whole interval violates it;
 *   <li>is otherwise inconclusive ({@link InconclusiveAssertionError}, "inconclusive: add
 *       directions (m = ...)"), with the number of directions at which, since SE falls as 1/√m,
 *       every open interval would close on one side.
 * </ul>
 *
 * The intervals are per set: with many sets, z applies to each one (use a larger z for a
 * simultaneous guarantee). The sketches are seeded, so a check gives the same verdict every run.
 */
public final class SketchedDeletions<E> {
    private final Deletions<E> deletions;

    SketchedDeletions(Deletions<E> deletions) {
        this.deletions = deletions;
    }

    /** Checks on deleting each of {@code sets}, separately: {@code assertThatDeletingEach(a, b).changes(m).byLessThan(eps)}. */
    public Change<E> assertThatDeletingEach(int[]... sets) {
        return assertThatDeletingEach(Arrays.asList(Objects.requireNonNull(sets, "sets")));
    }

    /** Checks on deleting each of {@code sets}, separately. */
    public Change<E> assertThatDeletingEach(List<int[]> sets) {
        Objects.requireNonNull(sets, "sets");
        if (sets.isEmpty()) throw new IllegalArgumentException("assertThatDeletingEach needs at least one deletion set");
        List<int[]> checked = new ArrayList<>(sets.size());
        for (int[] s : sets) checked.add(deletions.checkSet(s));
        return new Change<>(deletions, checked);
    }

    /** The leave-one-out guard from the sketches: {@code noSingleExample().changes(m).byMoreThan(eps)}. */
    public SingleExample<E> noSingleExample() {
        return new SingleExample<>(deletions);
    }

    /** The stability profile of {@code measurement} (scheme §6): {@code seriesOf(m).decaysGeometrically(0.5)}. */
    public Series<E> seriesOf(BoundMeasurement measurement) {
        return new Series<>(deletions, Objects.requireNonNull(measurement, "measurement"));
    }

    // ------------------------------------------------------------------------------------------

    /** One interval to decide: what it is about, the estimate, its SE, and the per-degree detail. */
    private record Case(String label, double estimate, double se, String detail, Verdict verdict, long needed) {}

    private static Case judge(Bound bound, double z, int m, String label, double estimate, double se, String detail) {
        double h = z * se;
        Verdict v = Verdict.of(bound, estimate, h);
        long needed = v == Verdict.INCONCLUSIVE ? Verdict.directionsNeeded(m, h, bound.margin(estimate)) : 0;
        return new Case(label, estimate, se, detail, v, needed);
    }

    /** Throws when a case fails or is undecided; the message lists the worst cases first. */
    private static void decide(String question, String context, List<Case> cases, double z, String subject,
                               String exactRemedy) {
        long fails = cases.stream().filter(c -> c.verdict() == Verdict.FAIL).count();
        long open = cases.stream().filter(c -> c.verdict() == Verdict.INCONCLUSIVE).count();
        if (fails == 0 && open == 0) return;
        long needed = open == 0 ? 0 : cases.stream().filter(c -> c.verdict() == Verdict.INCONCLUSIVE)
                .mapToLong(Case::needed).reduce(0, (a, b) -> a < 0 || b < 0 ? -1 : Math.max(a, b));
        StringBuilder sb = new StringBuilder();
        if (fails == 0) {
            sb.append("inconclusive: add directions (m = ").append(needed < 0 ? "no number decides it" : needed).append("): ");
        }
        sb.append(question).append("; ").append(fails).append(" fail, ").append(open).append(" inconclusive, ")
                .append(cases.size() - fails - open).append(" pass.\n");
        sb.append(context);
        List<Case> problems = new ArrayList<>(cases.stream().filter(c -> c.verdict() != Verdict.PASS).toList());
        problems.sort(Comparator.comparingInt((Case c) -> c.verdict() == Verdict.FAIL ? 0 : 1));
        int shown = Math.min(problems.size(), 10);
        for (Case c : problems.subList(0, shown)) {
            double h = z * c.se();
            sb.append(c.verdict() == Verdict.FAIL ? "  FAILS         " : "  INCONCLUSIVE  ").append(c.label()).append(": ")
                    .append(Fmt.signed(c.estimate())).append(" ± ").append(Fmt.num(c.se())).append(" (SE), interval [")
                    .append(Fmt.signed(c.estimate() - h)).append(", ").append(Fmt.signed(c.estimate() + h)).append("] ");
            if (c.verdict() == Verdict.FAIL) {
                sb.append("violates the bound throughout\n");
            } else {
                sb.append("contains a boundary of the bound; ").append(c.needed() < 0
                        ? "the estimate sits on the boundary, no number of directions decides it"
                        : "about m = " + c.needed() + " directions would decide it (SE falls as 1/sqrt(m))").append('\n');
            }
            sb.append("                ").append(c.detail()).append('\n');
        }
        if (problems.size() > shown) sb.append("  ... and ").append(problems.size() - shown).append(" more\n");
        sb.append("  what to change: ");
        if (fails > 0) {
            sb.append("the cases marked FAILS violate the bound with confidence (z = ").append(Fmt.num(z))
                    .append("): ").append(subject).append("; confirm with ").append(exactRemedy)
                    .append(", then fix the model or the data, or the bound if this is acceptable. ");
        }
        if (open > 0) {
            sb.append(needed > 0 ? "For the INCONCLUSIVE cases sketch more directions: Deletions.directions(" + needed
                    + ") (the standard error falls as 1/sqrt(m))" : "an estimate sits exactly on a boundary")
                    .append(", or check them exactly with ").append(exactRemedy).append('.');
        }
        String message = sb.toString();
        if (fails > 0) throw new DeletionAssertionError(message);
        throw new InconclusiveAssertionError(message, needed);
    }

    private static String perDegree(Prediction p, int upTo) {
        StringBuilder sb = new StringBuilder("change ± SE per degree:");
        for (int d = 1; d <= upTo; d++) {
            sb.append(d > 1 ? "," : "").append(" d").append(d).append(' ').append(Fmt.signed(p.change(d))).append(" ± ")
                    .append(Fmt.num(p.standardError(d)));
        }
        return sb.toString();
    }

    private static String context(Deletions<?> deletions, double f0, int degree) {
        return "  " + deletions.setting() + "\n  f(0) = " + Fmt.num(f0) + "; sketches: " + deletions.sketchDescription()
                + "; interval = estimate ± z·SE, z = " + Fmt.num(deletions.z()) + "; checked at degree " + degree + "\n";
    }

    private static int checkDegree(int d, int k) {
        if (d < 1 || d > k) {
            throw new IllegalArgumentException("degree must be in [1, " + k + "] (the sketches' degree k = " + k
                    + "; raise it with Deletions.degree), got " + d);
        }
        return d;
    }

    /** The change of one measurement under deleting each of several sets. */
    public static final class Change<E> {
        private final Deletions<E> deletions;
        private final List<int[]> sets;
        private BoundMeasurement measurement;
        private int degree;

        Change(Deletions<E> deletions, List<int[]> sets) {
            this.deletions = deletions;
            this.sets = sets;
            this.degree = deletions.degree();
        }

        /** The measurement whose change f(1_D) − f(0) is checked. */
        public Change<E> changes(BoundMeasurement m) {
            this.measurement = Objects.requireNonNull(m, "measurement");
            return this;
        }

        /** Checks the degree-d estimates (default and maximum: the sketches' degree k). */
        public Change<E> atDegree(int d) {
            this.degree = checkDegree(d, deletions.degree());
            return this;
        }

        /** For every set, |change| &lt; eps over the whole interval. */
        public Change<E> byLessThan(double eps) { return check(Bound.lessThan(eps)); }

        /** For every set, |change| ≥ delta over the whole interval. */
        public Change<E> byAtLeast(double delta) { return check(Bound.atLeast(delta)); }

        /** For every set, the whole interval lies in [lo, hi]. */
        public Change<E> inRange(double lo, double hi) { return check(Bound.inRange(lo, hi)); }

        private Change<E> check(Bound bound) {
            if (measurement == null) throw new IllegalStateException("name the measurement first: .changes(measurement)");
            checkDegree(degree, deletions.degree());
            DeletionEstimator estimator = deletions.estimator(measurement);
            int n = deletions.examples();
            int m = estimator.table().sketches();
            double z = deletions.z();
            List<Case> cases = new ArrayList<>(sets.size());
            for (int[] d : sets) {
                Prediction p = estimator.predictDeletion(d);
                cases.add(judge(bound, z, m, "D = " + Fmt.set(d) + " (" + d.length + " of " + n + ")", p.change(degree),
                        p.standardError(degree), perDegree(p, estimator.table().degree())));
            }
            String question = "deleting each of " + sets.size() + " set(s) should change " + measurement.description()
                    + " " + bound.describe();
            decide(question, context(deletions, estimator.table().f0(), degree), cases, z, "deleting these sets really changes the measurement that much",
                    "Deletions.assertThatDeleting(D).changes(m).confirmedByRetraining()");
            return this;
        }
    }

    /**
     * The leave-one-out guard. It does not need the sketches: the exact first-order change of every
     * example from one backward sweep through training, the worst ones confirmed by their
     * exact-direction series ({@link SingleExampleAssert}), so it is never inconclusive for lack of
     * directions, whatever n.
     */
    public static final class SingleExample<E> {
        private final Deletions<E> deletions;
        private BoundMeasurement measurement;
        private int degree;

        SingleExample(Deletions<E> deletions) {
            this.deletions = deletions;
            this.degree = deletions.degree();
        }

        public SingleExample<E> changes(BoundMeasurement m) {
            this.measurement = Objects.requireNonNull(m, "measurement");
            return this;
        }

        /** Checks the degree-d values (default and maximum: the sketches' degree k). */
        public SingleExample<E> atDegree(int d) {
            this.degree = checkDegree(d, deletions.degree());
            return this;
        }

        /** For every example i, |f({i}) − f(0)| ≤ eps (see {@link SingleExampleAssert.Change#byMoreThan}). */
        public SingleExample<E> byMoreThan(double eps) {
            if (measurement == null) throw new IllegalStateException("name the measurement first: .changes(measurement)");
            checkDegree(degree, deletions.degree());
            deletions.noSingleExample().changes(measurement).atDegree(degree).byMoreThan(eps);
            return this;
        }
    }

    /**
     * The stability profile (scheme §6): L_{j,r} = log2(sqrt(C(n+r−1, r))·|c_{j,r}|), the size of
     * the degree-r term along random direction j. The series decays when L falls with r.
     */
    public static final class Series<E> {
        private final Deletions<E> deletions;
        private final BoundMeasurement measurement;

        Series(Deletions<E> deletions, BoundMeasurement measurement) {
            this.deletions = deletions;
            this.measurement = measurement;
        }

        /**
         * Each degree's term is at most {@code ratio} times the one before, up to the sketches'
         * degree k: for r = 1..k−1 the mean over directions of L_{j,r+1} − L_{j,r} is at most
         * log2(ratio), over its whole interval.
         */
        public Series<E> decaysGeometrically(double ratio) {
            if (!(ratio > 0 && ratio < 1)) {
                throw new IllegalArgumentException("decaysGeometrically(ratio) needs 0 < ratio < 1, got " + ratio);
            }
            int k = deletions.degree();
            if (k < 2) throw new IllegalArgumentException("a decay needs sketches of degree >= 2, got k = " + k);
            DeletionEstimator estimator = deletions.estimator(measurement);
            StabilityProfile profile = StabilityProfile.of(estimator.table());
            int m = profile.directions();
            double z = deletions.z();
            Bound bound = Bound.notAbove(Math.log(ratio) / Math.log(2));
            List<Case> cases = new ArrayList<>();
            for (int r = 1; r < k; r++) {
                double sum = 0, sum2 = 0;
                int count = 0;
                boolean reappears = false;
                for (int j = 0; j < m; j++) {
                    double a = profile.log2Term(j, r), b = profile.log2Term(j, r + 1);
                    if (b == Double.NEGATIVE_INFINITY) continue; // the term vanishes: it has decayed
                    if (a == Double.NEGATIVE_INFINITY) {
                        reappears = true;
                        continue;
                    }
                    double step = b - a;
                    sum += step;
                    sum2 += step * step;
                    count++;
                }
                String label = "degree " + r + " -> " + (r + 1);
                String detail = "mean log2 term size L_" + r + " = " + Fmt.num(profile.meanLog2(r)) + ", L_" + (r + 1) + " = "
                        + Fmt.num(profile.meanLog2(r + 1)) + " (the scheme's stability profile)";
                if (reappears) {
                    cases.add(new Case(label, Double.POSITIVE_INFINITY, 0, detail + "; a term that vanished at degree " + r
                            + " is nonzero at degree " + (r + 1), Verdict.FAIL, 0));
                } else if (count == 0) {
                    cases.add(new Case(label, Double.NEGATIVE_INFINITY, 0, detail, Verdict.PASS, 0));
                } else {
                    double mean = sum / count;
                    double se = count > 1 ? Math.sqrt(Math.max(0, (sum2 - count * mean * mean) / (count - 1)) / count)
                            : Double.NaN;
                    cases.add(judge(bound, z, m, label + ", mean log2 step", mean, se, detail));
                }
            }
            String question = "the Taylor series of " + measurement.description() + " should decay geometrically "
                    + "with ratio " + Fmt.num(ratio) + " per degree up to k = " + k + " (mean log2 step <= "
                    + Fmt.num(Math.log(ratio) / Math.log(2)) + ")";
            decide(question, context(deletions, estimator.table().f0(), k), cases, z,
                    "the series does not fall that fast, which is outside the scheme's stability assumption (lower "
                            + "the step size, regularise, or delete fewer examples at once)",
                    "Deletions.assertThatDeleting(D).seriesOf(m).decaysGeometrically(ratio) along a deletion set you care about");
            return this;
        }
    }
}
