package org.jetsketch.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.predict.ExactDirection;
import org.jetsketch.predict.ExactDirectionCurve;

/**
 * The leave-one-out guard, exact: f(1_{i}) − f(0) for every training example i with no sampling
 * error. One backward sweep through training (the adjoint of training) gives every example's exact
 * first-order change ∂f/∂w_i at once, in a few trainings' time whatever n; the examples whose
 * first-order change reaches {@value #CONFIRM_FRACTION} of the bound, and the {@value #LISTED} most
 * influential, are then confirmed by the exact-direction series along 1_{i} at the checked degree
 * (jet passes of several directions at once, scheme §11). An example below that fraction is judged
 * on its first order: its higher-order terms would have to add as much again to break the bound,
 * which the scheme's stability assumption (terms that fall with the degree) rules out; degree 1
 * ({@code atDegree(1)}) needs no series at all. Examples that no step of the schedule uses change
 * nothing and are skipped. {@link Change#confirmedByRetraining()} adds one ordinary training per
 * example.
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

    /** How many of the most influential examples a failure message lists (and the series confirms). */
    static final int LISTED = 8;

    /** The fraction of the bound from which an example's first-order change is confirmed by its series. */
    static final double CONFIRM_FRACTION = 0.5;

    /**
     * One example's exact influence: its first-order change and, when confirmed, its series (null
     * otherwise) whose degree-d value is {@code change}.
     */
    private record Influence(int index, double firstOrder, ExactDirectionCurve curve, double change,
            double retrainedChange) {}

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
            org.jetsketch.train.ExactInfluence.Influence influence = deletions.firstOrder(measurement);
            double[] firstOrder = influence.derivative(0);
            // the series confirms the worst few: from CONFIRM_FRACTION of the bound, and the top LISTED
            Integer[] byInfluence = new Integer[used.length];
            for (int u = 0; u < used.length; u++) byInfluence[u] = u;
            java.util.Arrays.sort(byInfluence, Comparator.comparingDouble((Integer u) -> -Math.abs(firstOrder[used[u]]))
                    .thenComparingInt(u -> used[u]));
            List<Integer> confirmed = new ArrayList<>();
            for (int r = 0; r < byInfluence.length && degree > 1; r++) {
                int u = byInfluence[r];
                if (r < LISTED || Math.abs(firstOrder[used[u]]) >= CONFIRM_FRACTION * eps) confirmed.add(u);
            }
            double[][] directions = new double[confirmed.size()][];
            for (int c = 0; c < directions.length; c++) {
                directions[c] = ExactDirection.indicator(n, new int[] {used[confirmed.get(c)]});
            }
            List<ExactDirectionCurve> curves = directions.length == 0 ? List.of()
                    : deletions.exactCurves(directions, degree, measurement);
            ExactDirectionCurve[] curveOf = new ExactDirectionCurve[used.length];
            for (int c = 0; c < curves.size(); c++) curveOf[confirmed.get(c)] = curves.get(c);
            double f0 = influence.values()[0];
            List<Influence> all = new ArrayList<>(used.length);
            for (int u = 0; u < used.length; u++) {
                ExactDirectionCurve curve = curveOf[u];
                double fo = firstOrder[used[u]];
                double change = curve == null ? fo : curve.value(1.0, degree) - f0;
                double retrained = retrain
                        ? deletions.trained(measurement, ExactDirection.indicator(n, new int[] {used[u]})) - f0
                        : Double.NaN;
                all.add(new Influence(used[u], fo, curve, change, retrained));
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
            sb.append("  exact first order for all ").append(used.length).append(" examples (one backward sweep through"
                    + " training)");
            if (degree > 1) {
                sb.append("; exact-direction series of degree ").append(degree).append(" for the ").append(curves.size())
                        .append(" whose first-order change reaches ").append(Fmt.num(CONFIRM_FRACTION * eps))
                        .append(" or ranks in the top ").append(LISTED);
            }
            sb.append('\n');
            sb.append("  the most influential examples, change at degree 1..").append(degree)
                    .append(" (SE = 0)").append(retrain ? ", then retrained" : "").append(":\n");
            List<Influence> worst = new ArrayList<>(all);
            worst.sort(Comparator.comparingDouble((Influence x) -> -Math.max(Math.abs(x.change()),
                    retrain ? Math.abs(x.retrainedChange()) : 0)).thenComparingInt(Influence::index));
            for (Influence x : worst.subList(0, Math.min(LISTED, worst.size()))) {
                sb.append("    example ").append(x.index()).append(": ");
                if (x.curve() == null) {
                    sb.append(Fmt.signed(x.firstOrder())).append(" (first order)");
                } else {
                    for (int d = 1; d <= degree; d++) {
                        sb.append(d > 1 ? ", " : "").append(Fmt.signed(x.curve().value(1.0, d) - f0));
                    }
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
