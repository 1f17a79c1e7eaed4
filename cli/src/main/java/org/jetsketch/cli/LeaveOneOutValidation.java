package org.jetsketch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jetsketch.predict.Validation;
import org.jetsketch.sketch.SketchStore;

/**
 * {@code validate --leave-one-out}: every training name deleted alone and retrained, against the
 * leave-one-out changes that each method predicts — the exact first order from one backward sweep
 * through training, the per-example sketches at each m, and the exact-direction curves at degrees
 * 1..k for a random subset (one jet training each, batched). Reports mean absolute error and
 * Spearman / Pearson correlations of the changes, on all names and on the subset.
 */
final class LeaveOneOutValidation {
    private LeaveOneOutValidation() {}

    static int run(PrintWriter o, PrintWriter err, Setup setup, SketchStore store, Measures.Measure m, int[] sketchCounts,
            int names, int subset, int degree, long memoryBudget, int threads, Path out, boolean json,
            java.util.function.Consumer<ObjectNode> printJson, String commandLine) throws IOException {
        if (store.count() == 0) throw new CliException("the sketch directory " + store.directory() + " holds no sketches yet");
        org.jetsketch.study.LeaveOneOutValidation.Result result;
        try {
            result = org.jetsketch.study.LeaveOneOutValidation.run(setup.runs, m.bound(), store, sketchCounts, names,
                    subset, degree, memoryBudget, threads, Progress.bars(err));
        } catch (org.jetsketch.sketch.SketchStoreException e) {
            throw Experiments.damaged(e, store.directory(), setup);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), e);
        }
        int[] chosen = result.chosen();
        double[] truth = result.truth();
        double f0 = result.f0();
        double meanTruth = result.meanAbsoluteTrueChange();
        double reverseSeconds = result.reverseSeconds();
        double retrainSeconds = result.retrainSeconds();
        double exactSeconds = result.exactSeconds();
        List<org.jetsketch.study.LeaveOneOutValidation.Method> methods = result.methods();
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
        o.printf(Locale.ROOT, "measurement: %s, f(0) = %.6f; %d %s left out one at a time and retrained (%.1f s);"
                + " mean |true change| %.6f%n", m.description(), f0, names, setup.nouns(), retrainSeconds, meanTruth);
        o.printf(Locale.ROOT, "  %-42s %7s %12s %9s %9s %12s %9s %9s%n", "method", setup.nouns(), "mean |err|", "spearman",
                "pearson", "subset |err|", "spearman", "pearson");
        for (int x = 0; x < methods.size(); x++) {
            org.jetsketch.study.LeaveOneOutValidation.Method me = methods.get(x);
            Validation all = me.all();
            Validation sub = me.subset();
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
        o.printf(Locale.ROOT, "  exact first order: %s; exact directions: %d %s at degree %d in %.1f s%n",
                String.format(Locale.ROOT, "%.1f s", reverseSeconds), subset, setup.nouns(), degree, exactSeconds);
        if (out != null) {
            List<String> header = new ArrayList<>(List.of("index", "name", "retrained_change"));
            for (org.jetsketch.study.LeaveOneOutValidation.Method me : methods) header.add(me.name().replace(' ', '_').replace(",", "").replace("=", ""));
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
            HtmlReport h = new HtmlReport("jetsketch validate --leave-one-out: " + names + " " + setup.nouns()
                    + " left out one at a time");
            h.command(commandLine);
            h.paragraph(String.format(Locale.ROOT, "measurement: %s, f(0) = %.6f; every %s retrained without it (%.1f s);"
                    + " mean |true change| %.6f. Exact first order: %.1f s; exact directions: %d %s at degree %d in"
                    + " %.1f s.", m.description(), f0, setup.noun(), retrainSeconds, meanTruth, reverseSeconds, subset,
                    setup.nouns(), degree, exactSeconds));
            List<List<Object>> rows = new ArrayList<>();
            for (int x = 0; x < methods.size(); x++) {
                org.jetsketch.study.LeaveOneOutValidation.Method me = methods.get(x);
                Validation all = me.all();
                Validation sub = me.subset();
                rows.add(List.of(me.name(), all == null ? subset : names,
                        all == null ? Double.NaN : all.meanAbsoluteError(),
                        all == null ? "-" : corr(all.spearman()), sub == null ? Double.NaN : sub.meanAbsoluteError(),
                        sub == null ? "-" : corr(sub.spearman())));
            }
            h.table(List.of("method", setup.nouns(), "mean |error|", "Spearman", "mean |error| on the subset",
                    "Spearman on the subset"), rows);
            h.write(out.resolve("leave-one-out.html"));
            r.put("report", out.resolve("leave-one-out.html").toString());
            o.printf("wrote %s and %s%n", out.resolve("leave-one-out.csv"), out.resolve("leave-one-out.html"));
        }
        if (json) printJson.accept(r);
        return 0;
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
}
