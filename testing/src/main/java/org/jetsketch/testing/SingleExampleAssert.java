package org.jetsketch.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.predict.ExactDirection;
import org.jetsketch.predict.ExactDirectionCurve;

/**
 * The leave-one-out guard, exact: for every training example i, the jet training along 1_{i}
 * gives the Taylor series of deleting i alone, with no sampling error. Examples that no step of
 * the schedule uses change nothing and are skipped. The directions go through jet passes of
 * several at once (scheme §11), about n/8 passes in all, plus one ordinary training per example
 * with {@link Change#confirmedByRetraining()}: meant for the small data sets of unit tests;
 * {@link SketchedDeletions#noSingleExample()} scales to large n.
 */
public final class SingleExampleAssert<E> {
    private final Deletions<E> deletions;

    SingleExampleAssert(Deletions<E> deletions) {
        this.deletions = deletions;
    }

    /** The change f(1_{i}) − f(0) of {@code measurement}, for every example i. */
    public Change<E> changes(BoundMeasurement measurement) {
        return new Change<>(deletions, Objects.requireNonNull(measurement, "measurement"));
    }

    /** How many of the most influential examples a failure message lists. */
    static final int LISTED = 8;

    /** One example's exact influence. */
    private record Influence(int index, ExactDirectionCurve curve, double change, double retrainedChange) {}

    /** The per-example changes of one measurement, checked at one degree. */
    public static final class Change<E> {
        private final Deletions<E> deletions;
        private final BoundMeasurement measurement;
        private int degree;
        private boolean retrain;

        Change(Deletions<E> deletions, BoundMeasurement measurement) {
            this.deletions = deletions;
            this.measurement = measurement;
            this.degree = deletions.degree();
        }

        /** Checks the degree-d values (default: {@link Deletions#degree(int)}). */
        public Change<E> atDegree(int d) {
            if (d < 1) throw new IllegalArgumentException("degree must be >= 1, got " + d);
            this.degree = d;
            return this;
        }

        /** Also retrains without each example and requires every retrained change to be within the bound. */
        public Change<E> confirmedByRetraining() {
            this.retrain = true;
            return this;
        }

        /** Asserts that no single example changes the measurement by more than {@code eps}: |f(1_{i}) − f(0)| ≤ eps for all i. */
        public Change<E> byMoreThan(double eps) {
            Bound bound = Bound.atMost(eps);
            int n = deletions.examples();
            int[] used = deletions.schedule().usedExamples();
            double[][] directions = new double[used.length][];
            for (int u = 0; u < used.length; u++) directions[u] = ExactDirection.indicator(n, new int[] {used[u]});
            List<ExactDirectionCurve> curves = deletions.exactCurves(directions, degree, measurement);
            List<Influence> all = new ArrayList<>(used.length);
            double f0 = curves.get(0).coefficient(0);
            for (int u = 0; u < used.length; u++) {
                ExactDirectionCurve curve = curves.get(u);
                double change = curve.value(1.0, degree) - f0;
                double retrained = retrain ? deletions.trained(measurement, directions[u]) - f0 : Double.NaN;
                all.add(new Influence(used[u], curve, change, retrained));
            }
            List<Influence> seriesViolations = all.stream().filter(x -> !bound.holds(x.change())).toList();
            List<Influence> retrainedViolations = retrain
                    ? all.stream().filter(x -> !bound.holds(x.retrainedChange())).toList() : List.of();
            if (seriesViolations.isEmpty() && retrainedViolations.isEmpty()) return this;

            StringBuilder sb = new StringBuilder();
            sb.append("no single training example should change ").append(measurement.description()).append(' ')
                    .append(bound.describe()).append(", but ");
            if (!seriesViolations.isEmpty()) {
                sb.append(seriesViolations.size()).append(" of ").append(n).append(" do at degree ").append(degree)
                        .append(": examples ").append(indices(seriesViolations));
                if (retrain) sb.append(" (retraining: ").append(retrainedViolations.size()).append(" do)");
            } else {
                sb.append("retrained without them, ").append(retrainedViolations.size()).append(" of ").append(n)
                        .append(" do: examples ").append(indices(retrainedViolations)).append(" (the degree-")
                        .append(degree).append(" series says none)");
            }
            sb.append(".\n  ").append(deletions.setting()).append('\n');
            sb.append("  f(0) = ").append(Fmt.num(f0)).append(" (trained on all data)\n");
            sb.append("  the most influential examples (exact-direction series along 1_{i}: m = 1 per example, k = ")
                    .append(degree).append(", SE = 0), change at degree 1..").append(degree)
                    .append(retrain ? ", then retrained" : "").append(":\n");
            List<Influence> worst = new ArrayList<>(all);
            worst.sort(Comparator.comparingDouble((Influence x) -> -Math.max(Math.abs(x.change()),
                    retrain ? Math.abs(x.retrainedChange()) : 0)).thenComparingInt(Influence::index));
            for (Influence x : worst.subList(0, Math.min(LISTED, worst.size()))) {
                sb.append("    example ").append(x.index()).append(": ");
                for (int d = 1; d <= degree; d++) {
                    sb.append(d > 1 ? ", " : "").append(Fmt.signed(x.curve().value(1.0, d) - f0));
                }
                if (retrain) sb.append("; retrained ").append(Fmt.signed(x.retrainedChange()));
                boolean bad = !bound.holds(x.change()) || (retrain && !bound.holds(x.retrainedChange()));
                sb.append(bad ? "   exceeds" : "   within").append('\n');
            }
            sb.append("  what to change: ");
            if (retrain && seriesViolations.size() != retrainedViolations.size()) {
                sb.append("the degree-").append(degree).append(" series and retraining disagree on some examples: raise "
                        + "the degree (atDegree(").append(degree + 2).append(")). ");
            }
            sb.append("each listed example that exceeds the bound moves the measurement by more than ").append(Fmt.num(eps))
                    .append(" on its own: inspect it (an outlier? mislabelled?), make the model less sensitive to single "
                            + "examples (regularisation, more data), or raise eps if that influence is acceptable.");
            throw new DeletionAssertionError(sb.toString());
        }

        private static String indices(List<Influence> xs) {
            int[] idx = xs.stream().mapToInt(Influence::index).toArray();
            return Fmt.set(idx);
        }
    }
}
