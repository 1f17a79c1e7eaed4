package org.jetsketch.study;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.predict.CoefficientTable;
import org.jetsketch.predict.DeletionEstimator;
import org.jetsketch.predict.DeletionPrediction;
import org.jetsketch.predict.ExactDirectionCurve;
import org.jetsketch.predict.GroupLeastSquares;
import org.jetsketch.predict.GroupPrediction;
import org.jetsketch.predict.GroupedEstimator;
import org.jetsketch.predict.SketchTables;
import org.jetsketch.predict.Validation;
import org.jetsketch.sketch.Groups;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.train.ExactInfluence;
import org.jetsketch.work.TaskProgress;

/**
 * Validation of deletion predictions against retraining, for many deletion sets at once: every set
 * retrained (in parallel), then each estimator's prediction of every set compared with it — the
 * per-example sketches (unbiased), the grouped sketches (unbiased in group space, and least
 * squares, scheme §9) at each sketch count m, the exact-direction curves of every set in batched
 * jet passes (scheme §11, optional) and the exact first order from one backward sweep through
 * training. What {@code ./jetsketch validate} prints, for any program to call.
 */
public final class DeletionValidation {
    private DeletionValidation() {}

    /**
     * One estimator's answers: {@code mean[q][d]} and {@code se[q][d]} for set q at degree d,
     * {@code estimator[d]} in words, answering up to degree {@code degrees}.
     */
    public record Method(String name, int sketches, String cost, double[][] mean, double[][] se, String[] estimator,
            int degrees) {}

    /** What to validate. */
    public record Request(
            /** The measurement φ. */
            BoundMeasurement measurement,
            /** The deletion sets (example indices) and their labels. */
            List<int[]> sets,
            List<String> labels,
            /** Per-example sketches (null: grouped only). */
            SketchStore perExample,
            /** Grouped sketches and their grouping (null: none). */
            SketchStore grouped,
            Groups groups,
            /** Each sketch count m to compare at. */
            int[] sketchCounts,
            /** Also the exact-direction curves, {@code perPass} sets per jet pass. */
            boolean exact,
            int perPass,
            /** The memory budget of the exact first order's backward sweep, in bytes. */
            long memoryBudget,
            int threads) {}

    /**
     * The comparison: the retrained values, every method, the summaries {@code summary[method][d]}
     * (null where a method does not answer), the degree k, the last coefficient table read (for
     * f(0)), the least-squares notes and the exact passes' time.
     */
    public record Result(double[] retrained, List<Method> methods, Validation[][] summary, int degree,
            CoefficientTable table, List<String> leastSquaresNotes, double exactSeconds) {}

    /**
     * Runs the validation.
     *
     * @throws IllegalArgumentException if a set cuts a group, or the grouped sketches' degree differs
     * @throws IOException if a store cannot be read ({@link org.jetsketch.sketch.SketchStoreException} for a damaged file)
     */
    public static <E> Result run(ProblemRuns<E> runs, Request q, TaskProgress progress) throws IOException {
        int sets = q.sets().size();
        BoundMeasurement m = q.measurement();
        int[][] groupSetsOf = new int[sets][];
        if (q.groups() != null) {
            for (int s = 0; s < sets; s++) {
                try {
                    groupSetsOf[s] = q.groups().groupsOf(q.sets().get(s));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("deletion set " + q.labels().get(s) + ": " + e.getMessage(), e);
                }
            }
        }
        List<double[]> weights = new ArrayList<>();
        for (int[] d : q.sets()) weights.add(runs.weights(d, 1.0));
        double[] retrained = runs.retrainAll(m, weights, q.threads(), progress, "retraining " + sets + " sets");

        List<Method> methods = new ArrayList<>();
        CoefficientTable table = null;
        int k = 0;
        List<String> lsNotes = new ArrayList<>();
        boolean perExample = q.perExample() != null;
        for (int mm : q.sketchCounts()) {
            if (perExample) {
                table = SketchTables.table(q.perExample(), m, q.threads(), mm);
                k = table.degree();
                DeletionEstimator estimator = DeletionEstimator.cached(table);
                double[][] mean = new double[sets][], se = new double[sets][];
                for (int s = 0; s < sets; s++) {
                    DeletionPrediction p = estimator.predictDeletion(q.sets().get(s));
                    mean[s] = means(p, k);
                    se[s] = ses(p, k);
                }
                methods.add(new Method("per-example", mm, mm + " jet directions", mean, se, fill(k, "unbiased"),
                        Integer.MAX_VALUE));
            }
            if (q.groups() != null) {
                CoefficientTable gt = SketchTables.table(q.grouped(), m, q.threads(), mm, q.groups());
                if (!perExample) {
                    table = gt;
                    k = gt.degree();
                } else if (gt.degree() != k) {
                    throw new IllegalArgumentException("--group-sketch has degree " + gt.degree() + ", --sketch degree " + k);
                }
                GroupedEstimator ge = GroupedEstimator.of(gt, q.groups());
                double[][] um = new double[sets][], us = new double[sets][];
                double[][] lm = new double[sets][], ls = new double[sets][];
                String[] used = new String[k + 1];
                for (int s = 0; s < sets; s++) {
                    GroupPrediction gp = ge.predictGroups(groupSetsOf[s]);
                    um[s] = means(gp.unbiased(), k);
                    us[s] = ses(gp.unbiased(), k);
                    lm[s] = new double[k + 1];
                    ls[s] = new double[k + 1];
                    for (int d = 1; d <= k; d++) {
                        lm[s][d] = gp.mean(d);
                        ls[s][d] = gp.standardError(d);
                        used[d] = gp.estimatorDescription(d).replace("degree R", "degree " + gp.leastSquaresDegree());
                    }
                }
                methods.add(new Method("grouped, unbiased", mm, mm + " jet directions", um, us, fill(k, "unbiased"),
                        Integer.MAX_VALUE));
                methods.add(new Method("grouped, least squares", mm, mm + " jet directions", lm, ls, used,
                        Integer.MAX_VALUE));
                GroupLeastSquares system = ge.leastSquares().system();
                for (int r = 1; r <= k; r++) {
                    lsNotes.add(String.format(Locale.ROOT, "m = %d, degree %d: %s", mm, r, system.solves(r)
                            ? String.format(Locale.ROOT, "solved, N = %d unknowns, condition number %.3g",
                                    system.unknownsAt(r), system.conditionNumber(r))
                            : "unbiased (" + system.reason(r) + ")"));
                }
            }
        }
        double exactSeconds = Double.NaN;
        if (q.exact()) {
            double[][] v = weights.toArray(new double[0][]);
            long t0 = System.nanoTime();
            List<ExactDirectionCurve> curves = runs.exactBatch(m, v, k, q.perPass(), q.threads(), progress);
            exactSeconds = (System.nanoTime() - t0) / 1e9;
            double[][] mean = new double[sets][];
            double[][] se = new double[sets][k + 1];
            for (int s = 0; s < sets; s++) {
                mean[s] = new double[k + 1];
                for (int d = 0; d <= k; d++) mean[s][d] = curves.get(s).value(1.0, d);
            }
            methods.add(new Method("exact, batched", 0, sets + " jet directions in " + ((sets + q.perPass() - 1)
                    / q.perPass()) + " pass(es)", mean, se, fill(k, "exact direction"), Integer.MAX_VALUE));
        }
        // the exact first order: f0 + Σ_{i∈D} ∂f/∂w_i from one backward sweep through training
        long tf = System.nanoTime();
        ExactInfluence.Influence influence = runs.exactInfluence(m, q.memoryBudget());
        double firstOrderSeconds = (System.nanoTime() - tf) / 1e9;
        double[][] foMean = new double[sets][k + 1];
        for (int s = 0; s < sets; s++) {
            Arrays.fill(foMean[s], Double.NaN);
            foMean[s][0] = influence.values()[0];
            foMean[s][1] = influence.firstOrder(0, q.sets().get(s));
        }
        methods.add(new Method("exact first order (reverse)", 0, String.format(Locale.ROOT,
                "one backward sweep through training, %.1f s", firstOrderSeconds), foMean, new double[sets][k + 1],
                fill(k, "exact first order"), 1));
        Validation[][] summary = new Validation[methods.size()][k + 1];
        for (int x = 0; x < methods.size(); x++) {
            Method me = methods.get(x);
            for (int deg = 1; deg <= Math.min(k, me.degrees()); deg++) {
                List<Validation.Case> cases = new ArrayList<>();
                for (int s = 0; s < sets; s++) {
                    double se = me.se()[s][deg];
                    cases.add(new Validation.Case(q.labels().get(s), me.mean()[s][deg], Double.isFinite(se) ? se : 0.0,
                            retrained[s]));
                }
                summary[x][deg] = Validation.of(cases);
            }
        }
        return new Result(retrained, List.copyOf(methods), summary, k, table, List.copyOf(lsNotes), exactSeconds);
    }

    /**
     * The ratio of the per-example to the grouped unbiased estimator's variance at m sketches and
     * degree d: {@code predicted} by the dimension factor of scheme §9, C(n+d−1, d) / C(G+d−1, d),
     * and {@code measured}, the median over sets of SE²(per-example) / SE²(grouped, unbiased) (NaN
     * if no set has both finite and the grouped one positive).
     */
    public record VarianceRatio(int sketches, int degree, double predicted, double measured) {}

    /** {@link VarianceRatio} at every sketch count and degree that has both per-example and grouped answers. */
    public static List<VarianceRatio> varianceRatios(List<Method> methods, int[] sketchCounts, int n, int groups,
            int k) {
        List<VarianceRatio> out = new ArrayList<>();
        for (int mm : sketchCounts) {
            Method pe = null;
            Method gu = null;
            for (Method me : methods) {
                if (me.sketches() != mm) continue;
                if (me.name().equals("per-example")) pe = me;
                if (me.name().equals("grouped, unbiased")) gu = me;
            }
            for (int d = 1; d <= k && pe != null && gu != null; d++) {
                double predicted = Math.exp(DeletionEstimator.logBinomial(n, d) - DeletionEstimator.logBinomial(groups, d));
                List<Double> ratios = new ArrayList<>();
                for (int q = 0; q < pe.se().length; q++) {
                    double x = pe.se()[q][d];
                    double y = gu.se()[q][d];
                    if (y > 0 && Double.isFinite(x) && Double.isFinite(y)) ratios.add(x * x / (y * y));
                }
                double measured = Double.NaN;
                if (!ratios.isEmpty()) {
                    java.util.Collections.sort(ratios);
                    int h = ratios.size() / 2;
                    measured = ratios.size() % 2 == 1 ? ratios.get(h) : 0.5 * (ratios.get(h - 1) + ratios.get(h));
                }
                out.add(new VarianceRatio(mm, d, predicted, measured));
            }
        }
        return List.copyOf(out);
    }

    private static double[] means(DeletionPrediction p, int k) {
        double[] v = new double[k + 1];
        for (int d = 0; d <= k; d++) v[d] = p.mean(d);
        return v;
    }

    private static double[] ses(DeletionPrediction p, int k) {
        double[] v = new double[k + 1];
        for (int d = 0; d <= k; d++) v[d] = p.standardError(d);
        return v;
    }

    private static String[] fill(int k, String what) {
        String[] s = new String[k + 1];
        Arrays.fill(s, what);
        return s;
    }

    /** A deletion set to validate, with its label for tables ("containing \"x\"", "random #3"). */
    public record LabeledSet(int[] indices, String label) {}

    /**
     * For each distinct character of {@code chars} in order, the examples whose name contains it,
     * labelled {@code containing "x"}; a character no name contains gives no set.
     */
    public static List<LabeledSet> containing(List<String> names, String chars) {
        List<LabeledSet> sets = new ArrayList<>();
        for (int c : chars.codePoints().distinct().toArray()) {
            String s = Character.toString(c);
            int[] members = java.util.stream.IntStream.range(0, names.size()).filter(i -> names.get(i).contains(s))
                    .toArray();
            if (members.length > 0) sets.add(new LabeledSet(members, "containing \"" + s + "\""));
        }
        return sets;
    }

    /**
     * {@code count} sets of {@code size} distinct examples of {@code n} drawn uniformly, in
     * increasing order, labelled {@code random #1}, {@code random #2}, …; the same {@code seed}
     * (the run's) gives the same sets.
     */
    public static List<LabeledSet> randomSets(int n, int count, int size, long seed) {
        if (count < 0) throw new IllegalArgumentException("the number of random sets must be >= 0, got " + count);
        if (count > 0 && (size < 1 || size > n)) {
            throw new IllegalArgumentException("a random set's size must be in 1.." + n + ", got " + size);
        }
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed * 31 + 7);
        List<LabeledSet> sets = new ArrayList<>();
        for (int q = 0; q < count; q++) {
            java.util.TreeSet<Integer> d = new java.util.TreeSet<>();
            while (d.size() < size) d.add(rng.nextInt(n));
            sets.add(new LabeledSet(d.stream().mapToInt(Integer::intValue).toArray(), "random #" + (q + 1)));
        }
        return sets;
    }
}
