package org.jetsketch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jetsketch.predict.CoefficientTable;
import org.jetsketch.predict.DeletionEstimator;
import org.jetsketch.predict.ExactDirectionCurve;
import org.jetsketch.predict.LeaveOneOut;
import org.jetsketch.predict.Validation;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.train.ExactInfluence;

/**
 * {@code validate --leave-one-out}: every training name deleted alone and retrained, against the
 * leave-one-out changes that each method predicts — the exact first order from one backward sweep
 * through training, the per-example sketches at each m, and the exact-direction curves at degrees
 * 1..k for a random subset (one jet training each, batched). Reports mean absolute error and
 * Spearman / Pearson correlations of the changes, on all names and on the subset.
 */
final class LeaveOneOutValidation {
    private LeaveOneOutValidation() {}

    /** One method's predicted changes; NaN where it made none. */
    private record Method(String name, double[] change, double seconds) {}

    static int run(PrintWriter o, PrintWriter err, Setup setup, SketchStore store, Measures.Measure m, int[] sketchCounts,
            int names, int subset, int degree, long memoryBudget, int threads, Path out, boolean json,
            java.util.function.Consumer<ObjectNode> printJson, String commandLine) throws IOException {
        int n = setup.n();
        if (names < 1 || names > n) throw new CliException("--names must be in 1.." + n + ", got " + names);
        if (subset < 0 || subset > names) throw new CliException("--exact-subset must be in 0.." + names + ", got " + subset);
        // the names: all, or a random sample (the run's seed), the exact subset its first ones
        int[] chosen = sample(n, names, setup.seed);
        int[] exactOnes = java.util.Arrays.copyOf(chosen, subset);

        long t0 = System.nanoTime();
        ExactInfluence.Influence influence = Experiments.exactInfluence(setup, m, memoryBudget);
        double reverseSeconds = (System.nanoTime() - t0) / 1e9;
        double f0 = influence.values()[0];

        List<double[]> weights = new ArrayList<>();
        for (int i : chosen) weights.add(setup.weights(new int[] {i}, 1.0));
        long t1 = System.nanoTime();
        double[] retrained = Experiments.retrainAll(setup, m, weights, threads, err, "retraining " + names
                + " names, one left out each");
        double retrainSeconds = (System.nanoTime() - t1) / 1e9;

        List<Method> methods = new ArrayList<>();
        double[] fo = new double[names];
        for (int q = 0; q < names; q++) fo[q] = influence.derivatives()[0][chosen[q]];
        methods.add(new Method("exact first order (reverse)", fo, reverseSeconds));
        for (int mm : sketchCounts) {
            long ts = System.nanoTime();
            CoefficientTable table = Experiments.table(store, m, threads, mm, setup);
            LeaveOneOut loo = DeletionEstimator.cached(table).leaveOneOut(1);
            double[] c = new double[names];
            for (int q = 0; q < names; q++) c[q] = loo.change(chosen[q]);
            methods.add(new Method("per-example sketches, m = " + mm + ", degree 1", c, (System.nanoTime() - ts) / 1e9));
        }
        double exactSeconds = 0;
        if (subset > 0) {
            long te = System.nanoTime();
            List<ExactDirectionCurve> curves = Experiments.leaveOneOutCurves(setup, m, exactOnes, degree, threads, err);
            exactSeconds = (System.nanoTime() - te) / 1e9;
            for (int d = 1; d <= degree; d++) {
                double[] c = new double[names];
                java.util.Arrays.fill(c, Double.NaN);
                for (int q = 0; q < subset; q++) c[q] = curves.get(q).value(1.0, d) - f0;
                methods.add(new Method("exact direction, degree " + d, c, exactSeconds));
            }
        }

        double[] truth = new double[names];
        double meanTruth = 0;
        for (int q = 0; q < names; q++) {
            truth[q] = retrained[q] - f0;
            meanTruth += Math.abs(truth[q]) / names;
        }
        ObjectNode r = Json.object();
        r.put("command", "validate");
        r.put("mode", "leave-one-out");
        r.put("measure", m.spec());
        Json.put(r, "f0", f0);
        r.put("names", names);
        r.put("exactSubset", subset);
        Json.put(r, "meanAbsoluteTrueChange", meanTruth);
        ObjectNode secs = r.putObject("seconds");
        Json.put(secs, "exactFirstOrder", reverseSeconds);
        Json.put(secs, "retraining", retrainSeconds);
        Json.put(secs, "exactDirections", exactSeconds);
        ArrayNode a = r.putArray("methods");
        o.printf(Locale.ROOT, "measurement: %s, f(0) = %.6f; %d names left out one at a time and retrained (%.1f s);"
                + " mean |true change| %.6f%n", m.description(), f0, names, retrainSeconds, meanTruth);
        o.printf(Locale.ROOT, "  %-42s %7s %12s %9s %9s %12s %9s %9s%n", "method", "names", "mean |err|", "spearman",
                "pearson", "subset |err|", "spearman", "pearson");
        // each method against retraining, on all names and on the exact subset (null: no prediction there)
        Validation[] alls = new Validation[methods.size()];
        Validation[] subs = new Validation[methods.size()];
        for (int x = 0; x < methods.size(); x++) {
            alls[x] = summary(methods.get(x).change(), truth, 0, names);
            subs[x] = subset > 0 ? summary(methods.get(x).change(), truth, 0, subset) : null;
        }
        for (int x = 0; x < methods.size(); x++) {
            Method me = methods.get(x);
            Validation all = alls[x];
            Validation sub = subs[x];
            ObjectNode j = a.addObject();
            j.put("method", me.name());
            Json.put(j, "seconds", me.seconds());
            if (all != null) putSummary(j.putObject("all"), all);
            if (sub != null) putSummary(j.putObject("subset"), sub);
            o.printf(Locale.ROOT, "  %-42s %7s %12s %9s %9s %12s %9s %9s%n", me.name(),
                    all == null ? subset : names, all == null ? "-" : fmt(all.meanAbsoluteError()),
                    all == null ? "-" : corr(all.spearman()), all == null ? "-" : corr(all.pearson()),
                    sub == null ? "-" : fmt(sub.meanAbsoluteError()), sub == null ? "-" : corr(sub.spearman()),
                    sub == null ? "-" : corr(sub.pearson()));
        }
        o.printf(Locale.ROOT, "  exact first order: %s; exact directions: %d names at degree %d in %.1f s%n",
                String.format(Locale.ROOT, "%.1f s", reverseSeconds), subset, degree, exactSeconds);
        if (out != null) {
            List<String> header = new ArrayList<>(List.of("index", "name", "retrained_change"));
            for (Method me : methods) header.add(me.name().replace(' ', '_').replace(",", "").replace("=", ""));
            Csv csv = new Csv(header);
            for (int q = 0; q < names; q++) {
                Object[] row = new Object[3 + methods.size()];
                row[0] = chosen[q];
                row[1] = setup.names.get(chosen[q]);
                row[2] = truth[q];
                for (int x = 0; x < methods.size(); x++) row[3 + x] = methods.get(x).change()[q];
                csv.row(row);
            }
            csv.write(out.resolve("leave-one-out.csv"));
            r.put("out", out.resolve("leave-one-out.csv").toString());
            HtmlReport h = new HtmlReport("jetsketch validate --leave-one-out: " + names + " names left out one at a time");
            h.command(commandLine);
            h.paragraph(String.format(Locale.ROOT, "measurement: %s, f(0) = %.6f; every name retrained without it (%.1f s);"
                    + " mean |true change| %.6f. Exact first order: %.1f s; exact directions: %d names at degree %d in"
                    + " %.1f s.", m.description(), f0, retrainSeconds, meanTruth, reverseSeconds, subset, degree,
                    exactSeconds));
            List<List<Object>> rows = new ArrayList<>();
            for (int x = 0; x < methods.size(); x++) {
                Method me = methods.get(x);
                Validation all = alls[x];
                Validation sub = subs[x];
                rows.add(List.of(me.name(), all == null ? subset : names,
                        all == null ? Double.NaN : all.meanAbsoluteError(),
                        all == null ? "-" : corr(all.spearman()), sub == null ? Double.NaN : sub.meanAbsoluteError(),
                        sub == null ? "-" : corr(sub.spearman())));
            }
            h.table(List.of("method", "names", "mean |error|", "Spearman", "mean |error| on the subset",
                    "Spearman on the subset"), rows);
            h.write(out.resolve("leave-one-out.html"));
            r.put("report", out.resolve("leave-one-out.html").toString());
            o.printf("wrote %s and %s%n", out.resolve("leave-one-out.csv"), out.resolve("leave-one-out.html"));
        }
        if (json) printJson.accept(r);
        return 0;
    }

    /** The validation of the changes predicted for names from..to−1 (null when the method made none there). */
    private static Validation summary(double[] change, double[] truth, int from, int to) {
        List<Validation.Case> cases = new ArrayList<>();
        for (int q = from; q < to; q++) {
            if (Double.isNaN(change[q])) return null;
            cases.add(new Validation.Case("#" + q, change[q], 0.0, truth[q]));
        }
        return Validation.of(cases);
    }

    private static void putSummary(ObjectNode o, Validation v) {
        Json.put(o, "meanAbsoluteError", v.meanAbsoluteError());
        Json.put(o, "spearman", v.spearman().isAvailable() ? v.spearman().value() : Double.NaN);
        Json.put(o, "pearson", v.pearson().isAvailable() ? v.pearson().value() : Double.NaN);
    }

    private static String fmt(double x) { return String.format(Locale.ROOT, "%.6f", x); }

    private static String corr(Validation.Correlation c) {
        return c.isAvailable() ? String.format(Locale.ROOT, "%.3f", c.value()) : "n/a";
    }

    /** {@code k} distinct indices of 0..n−1 in a random order drawn with {@code seed} (all of them when k = n). */
    static int[] sample(int n, int k, long seed) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + 17);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return java.util.Arrays.copyOf(all, k);
    }
}
